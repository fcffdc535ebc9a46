package io.troupe.bench;

import com.sun.management.OperatingSystemMXBean;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.run.RunHandle;
import io.troupe.api.team.TeamSpec;
import io.troupe.telemetry.Telemetry;
import io.troupe.telemetry.TelemetrySettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.jspecify.annotations.Nullable;

/**
 * Telemetry's share of the CPU of agent steps, counted where it is spent rather than by difference: while runs go on
 * (as in {@link TracingStepBench}: 3-agent runs, a model over HTTP on loopback in a JVM of its own, which also takes
 * the OTLP export and drops it), JFR samples each Java thread every millisecond of CPU it uses ({@code
 * jdk.CPUTimeSample}, JDK 25 on Linux; elsewhere {@code jdk.ExecutionSample}, which sees Java code only). A sample is
 * telemetry's when it is on OpenTelemetry's export path (the span and metric exporters' threads, the OTLP sender) or
 * when the innermost frame outside the JDK belongs to OpenTelemetry, Micrometer, Prometheus or {@code
 * io.troupe.telemetry}: the JDK code telemetry calls counts as telemetry's.
 *
 * <p>The paired windows of {@link TracingStepBench} measure the difference of two noisy totals on a shared 2-core
 * machine; its pairs spread wider than the 5% goal. This count is steadier, but it leaves out what telemetry costs
 * other code: the extra garbage it makes others collect, the JIT compiling its code (JIT and GC threads are not
 * sampled). The share of all samples is telemetry's part of the steps with tracing on; {@code share / (1 - share)} is
 * what it adds to the steps without it, the figure the goal (≤ 5%) bounds.
 *
 * <p>Arguments: {@code [warm-up seconds] [window seconds] [runs in flight] [share of runs traced]}; defaults {@code
 * 60 20 32 1}. A share of 0 traces no run but still counts metrics; -1 starts no telemetry at all (the share is then
 * the method's own noise floor).
 */
public final class TracingShareBench {
    private static final String CPU_TIME_SAMPLE = "jdk.CPUTimeSample";
    private static final String CPU_TIME_SAMPLES_LOST = "jdk.CPUTimeSamplesLost";
    private static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
    private static final int AGENTS = 3;

    private TracingShareBench() {}

    public static void main(String[] args) throws Exception {
        Duration warmUp = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 60);
        Duration window = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 20);
        int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        double sample = args.length > 3 ? Double.parseDouble(args[3]) : 1.0;
        TeamSpec team = BenchTeams.sequential(AGENTS);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        try (LoopbackLlm server = LoopbackLlm.start();
                Telemetry telemetry = sample < 0
                        ? null
                        : Telemetry.create(
                                TelemetrySettings.otlp(server.otlpEndpoint().toString())
                                        .withSampleRatio(sample))) {
            LanguageModel model = telemetry == null ? server.model() : telemetry.traced(server.model());
            Consumer<RunHandle> follow = telemetry == null ? run -> {} : telemetry::follow;
            try (JournalKind.Started started = JournalKind.MEMORY.start(model)) {
                Runs.forDuration(started.troupe(), team, BenchTeams.TASK, warmUp.toNanos(), inFlight, follow)
                        .requireAllCompleted();
                flush(telemetry);
                String sampler = FlightRecorder.getFlightRecorder().getEventTypes().stream()
                                .anyMatch(type -> type.getName().equals(CPU_TIME_SAMPLE))
                        ? CPU_TIME_SAMPLE
                        : EXECUTION_SAMPLE;
                Path file = Files.createTempFile("troupe-tracing-share", ".jfr");
                Runs.Tally tally;
                long cpu;
                try (Recording recording = new Recording()) {
                    if (sampler.equals(CPU_TIME_SAMPLE)) {
                        recording.enable(sampler).with("throttle", System.getProperty("throttle", "1ms"));
                        recording.enable(CPU_TIME_SAMPLES_LOST);
                    } else {
                        recording.enable(sampler).withPeriod(Duration.ofMillis(1));
                    }
                    recording.start();
                    long cpuBefore = os.getProcessCpuTime();
                    tally = Runs.forDuration(
                                    started.troupe(), team, BenchTeams.TASK, window.toNanos(), inFlight, follow)
                            .requireAllCompleted();
                    flush(telemetry); // the window's spans are exported within it
                    cpu = os.getProcessCpuTime() - cpuBefore;
                    recording.stop();
                    recording.dump(file);
                }
                Count count = Count.of(file, sampler);
                Files.delete(file);

                String what = sample < 0
                        ? "no telemetry"
                        : sample == 0
                                ? "metrics only, no run traced"
                                : sample >= 1 ? "every run traced" : sample + " of runs traced";
                long steps = tally.total() * AGENTS;
                double share = count.share();
                Figures.info(String.format(
                        "tracing share: %s; warmed up for %d s, then %d s of %d runs in flight: %d runs, %,d samples"
                                + " (%s), %,d lost",
                        what,
                        warmUp.toSeconds(),
                        window.toSeconds(),
                        inFlight,
                        tally.total(),
                        count.all(),
                        sampler,
                        count.lost()));
                count.sites().entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .limit(8)
                        .forEach(site -> Figures.info(String.format(
                                "  %5.2f%% of all samples: %s", 100.0 * site.getValue() / count.all(), site.getKey())));
                Figures.print("CPU per step, " + what, cpu / 1e3 / steps, "µs", "process CPU over the window");
                Figures.print(
                        "telemetry's share of the CPU samples, " + what,
                        100 * share,
                        "%",
                        count.telemetry() + " of " + count.all() + " samples");
                double added = share / (1 - share);
                Figures.print(
                        "what telemetry adds to a step, " + what,
                        100 * added,
                        "%",
                        "share / (1 - share); goal ≤ 5%: " + (added <= 0.05 ? "met" : "not met"));
            }
        }
    }

    private static void flush(@Nullable Telemetry telemetry) {
        if (telemetry != null && !telemetry.flush(Duration.ofSeconds(30))) {
            throw new IllegalStateException("the OTLP receiver did not take the spans and metrics");
        }
    }

    /**
     * Samples in a recording: all of them, those that are telemetry's, and where telemetry's were taken ({@link
     * #where(List)}).
     */
    record Count(long all, long telemetry, long lost, Map<String, Long> sites) {
        double share() {
            return all == 0 ? 0 : (double) telemetry / all;
        }

        static Count of(Path file, String sampler) throws IOException {
            long all = 0;
            long telemetry = 0;
            long lost = 0;
            Map<String, Long> sites = new HashMap<>();
            try (RecordingFile recording = new RecordingFile(file)) {
                while (recording.hasMoreEvents()) {
                    RecordedEvent event = recording.readEvent();
                    if (event.getEventType().getName().equals(CPU_TIME_SAMPLES_LOST)) {
                        lost += event.getInt("lostSamples");
                    }
                    if (!event.getEventType().getName().equals(sampler) || event.getStackTrace() == null) {
                        continue;
                    }
                    all++;
                    List<String> types = event.getStackTrace().getFrames().stream()
                            .filter(RecordedFrame::isJavaFrame)
                            .map(frame -> frame.getMethod().getType().getName())
                            .toList();
                    if (isTelemetry(types)) {
                        telemetry++;
                        sites.merge(where(types), 1L, Long::sum);
                    }
                }
            }
            return new Count(all, telemetry, lost, sites);
        }
    }

    /** Whether a sample is telemetry's work, given the classes of its Java frames, innermost first. */
    static boolean isTelemetry(List<String> frames) {
        String innermostOutsideJdk = null;
        for (String type : frames) {
            if (isExportPath(type)) {
                return true; // the export path: batching, encoding and sending spans and metrics
            }
            if (innermostOutsideJdk == null && !isJdk(type)) {
                innermostOutsideJdk = type;
            }
        }
        return innermostOutsideJdk != null
                && (innermostOutsideJdk.startsWith("io.opentelemetry.")
                        || innermostOutsideJdk.startsWith("io.micrometer.")
                        || innermostOutsideJdk.startsWith("io.prometheus.")
                        || innermostOutsideJdk.startsWith("io.troupe.telemetry."));
    }

    /**
     * Where a telemetry sample was taken, given the classes of its Java frames, innermost first: on the export path
     * (batching, encoding and sending), else in the innermost Troupe class (which of telemetry's classes, or which
     * runtime code calling into telemetry).
     */
    static String where(List<String> frames) {
        if (frames.stream().anyMatch(TracingShareBench::isExportPath)) {
            return "export";
        }
        return frames.stream()
                .filter(type -> type.startsWith("io.troupe."))
                .findFirst()
                .map(type -> type.substring(type.lastIndexOf('.') + 1))
                .orElse("elsewhere");
    }

    private static boolean isExportPath(String type) {
        return type.startsWith("io.opentelemetry.sdk.trace.export.")
                || type.startsWith("io.opentelemetry.sdk.metrics.export.")
                || type.startsWith("io.opentelemetry.exporter.");
    }

    private static boolean isJdk(String type) {
        return type.startsWith("java.")
                || type.startsWith("javax.")
                || type.startsWith("jdk.")
                || type.startsWith("sun.")
                || type.startsWith("com.sun.");
    }
}
