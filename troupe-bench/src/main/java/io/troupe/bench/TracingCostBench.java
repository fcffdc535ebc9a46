package io.troupe.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.TeamSpec;
import io.troupe.telemetry.Telemetry;
import io.troupe.telemetry.TelemetrySettings;
import io.troupe.testkit.RecordedRun;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The CPU that tracing spends per agent step, apart from the runtime: one real 3-agent run's journal events are
 * delivered again and again to {@link Telemetry#follow}, as a live run delivers them (each time as a run with a new
 * id), and its spans and metrics go over OTLP/HTTP to {@code OTEL_EXPORTER_OTLP_ENDPOINT}. Reported: the CPU of the
 * delivering thread per step (building spans and metrics) and of the whole process per step (with the exporter's
 * threads: batching, encoding and sending). {@link CpuPerStepBench} with {@code otel} measures the same end to end,
 * where the runtime's own noise is larger than this cost.
 *
 * <p>Runs are paced ({@code runs/s}, about what {@link CpuPerStepBench} achieves) so that the exporter keeps up, as it
 * must: a span processor whose queue is full drops spans, and dropped spans cost nothing to export.
 *
 * <p>Arguments: {@code [warm-up seconds] [measured seconds] [runs/s] [otlp|drop]}; defaults {@code 5 10 2000 otlp}.
 * With {@code drop}, spans and metrics are built and batched as usual but the exporters drop them: the cost of
 * tracing apart from encoding and sending.
 */
public final class TracingCostBench {
    private TracingCostBench() {}

    public static void main(String[] args) throws Exception {
        Duration warmUp = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 5);
        Duration measured = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        boolean drop = args.length > 3 && args[3].equals("drop");
        TelemetrySettings settings = TelemetrySettings.fromEnvironment(System::getenv);
        if (!settings.exports()) {
            throw new IllegalArgumentException(
                    "TracingCostBench needs OTEL_EXPORTER_OTLP_ENDPOINT, the address of an OTLP/HTTP receiver");
        }
        TeamSpec team = BenchTeams.sequential3();
        Transcript transcript;
        try (JournalKind.Started started = JournalKind.MEMORY.start(BenchModels.instant(BenchModels.ANSWER))) {
            RunHandle run = started.troupe().run(team, BenchTeams.TASK);
            run.outcome().toCompletableFuture().get(30, TimeUnit.SECONDS);
            transcript = started.troupe()
                    .replay(run.conversationId())
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        }
        List<JournalEvent> events = transcript.events();
        int steps = (int) events.stream()
                .filter(e -> e instanceof JournalEvent.LlmCompleted)
                .count();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Telemetry telemetry =
                drop ? Telemetry.create(settings, new DropSpans(), new DropMetrics()) : Telemetry.create(settings)) {
            long warm = replay(telemetry, events, warmUp.toNanos(), rate, 0);
            Figures.info("tracing: warm-up followed " + warm + " runs of " + events.size() + " events and " + steps
                    + " steps in " + warmUp.toSeconds() + " s");
            telemetry.flush(Duration.ofSeconds(10));
            Map<Long, Long> threadsBefore = new HashMap<>();
            for (long id : threads.getAllThreadIds()) {
                threadsBefore.put(id, threads.getThreadCpuTime(id));
            }
            long cpuBefore = os.getProcessCpuTime();
            long threadBefore = threads.getCurrentThreadCpuTime();
            long allocatedBefore = threads.getTotalThreadAllocatedBytes();
            long runs = replay(telemetry, events, measured.toNanos(), rate, warm);
            long thread = threads.getCurrentThreadCpuTime() - threadBefore;
            telemetry.flush(Duration.ofSeconds(30));
            long cpu = os.getProcessCpuTime() - cpuBefore;
            long allocated = threads.getTotalThreadAllocatedBytes() - allocatedBefore;
            // Where the process CPU went, by thread (numbers folded): the exporter's threads against this one.
            Map<String, Long> byName = new TreeMap<>();
            for (long id : threads.getAllThreadIds()) {
                ThreadInfo info = threads.getThreadInfo(id);
                long now = threads.getThreadCpuTime(id);
                if (info != null && now > 0) {
                    byName.merge(
                            info.getThreadName().replaceAll("[0-9]+", "N"),
                            now - threadsBefore.getOrDefault(id, 0L),
                            Long::sum);
                }
            }
            long java = 0;
            for (Map.Entry<String, Long> entry : byName.entrySet()) {
                java += entry.getValue();
                if (entry.getValue() > 1_000_000) {
                    Figures.info(String.format("  thread %-44s %8.1f ms CPU", entry.getKey(), entry.getValue() / 1e6));
                }
            }
            Figures.info(String.format(
                    "  Java threads %.1f ms of the process's %.1f ms (the rest: GC, JIT)", java / 1e6, cpu / 1e6));
            long total = runs * steps;
            Figures.info("tracing: measured " + runs + " runs (" + total + " steps)");
            Figures.print("tracing cpu/step, building spans and metrics", thread / 1e3 / total, "µs", "one thread");
            Figures.print("tracing cpu/step, with export", cpu / 1e3 / total, "µs", "process CPU, flushed at the end");
            Figures.print("tracing allocated/step", (double) allocated / total, "B", "all threads");
        }
    }

    /** Follows runs made of {@code events} for {@code nanos}, {@code rate} a second; returns how many. */
    private static long replay(Telemetry telemetry, List<JournalEvent> events, long nanos, int rate, long firstId) {
        long start = System.nanoTime();
        long deadline = start + nanos;
        long runs = 0;
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < 10; i++) {
                telemetry.follow(new RecordedRun("bench-" + (firstId + runs), events));
                runs++;
            }
            long due = start + runs * 1_000_000_000L / rate;
            long ahead = due - System.nanoTime();
            if (ahead > 0) {
                LockSupport.parkNanos(ahead);
            }
        }
        return runs;
    }

    /** A span exporter that drops what it is given. */
    private static final class DropSpans implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    /** A metric exporter that drops what it is given. */
    private static final class DropMetrics implements MetricExporter {
        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrument) {
            return AggregationTemporality.CUMULATIVE;
        }
    }
}
