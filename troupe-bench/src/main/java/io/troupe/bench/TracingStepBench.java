package io.troupe.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.telemetry.Telemetry;
import io.troupe.telemetry.TelemetrySettings;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What tracing adds to the CPU of an agent step with a real model call, tracing on against tracing off in one JVM:
 * windows of each, interleaved (off-on, then on-off, so that a machine that speeds up or slows down weighs on both),
 * on one runtime whose model is an OpenAI-compatible server on loopback in a JVM of its own ({@link LoopbackLlm}).
 * With tracing on, every run is followed by {@link Telemetry} and its model calls carry their span's context; spans
 * and metrics go over OTLP/HTTP to the same child JVM, which drops them, so neither the model server's CPU nor the
 * receiver's is counted. Each window ends with its runs and, when tracing, with a flush of their spans, so the export
 * of a window's spans is charged to that window.
 *
 * <p>Separate JVMs for on and off (as {@code CpuPerStepBench ... off|otel http}) differ by more than tracing costs on
 * a shared 2-core machine; the paired windows here compare like with like.
 *
 * <p>Arguments: {@code [warm-up seconds] [window seconds] [pairs] [runs in flight] [share of runs traced]}; defaults
 * {@code 30 5 8 32 1}. With a share below 1 ({@code --otel-sample}), the runs not traced still count in the metrics
 * and their calls still carry a trace context.
 */
public final class TracingStepBench {
    private TracingStepBench() {}

    public static void main(String[] args) throws Exception {
        Duration warmUp = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 30);
        Duration window = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 5);
        int pairs = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int inFlight = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        double sample = args.length > 4 ? Double.parseDouble(args[4]) : 1.0;
        int agents = 3;
        TeamSpec team = BenchTeams.sequential(agents);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

        try (LoopbackLlm server = LoopbackLlm.start();
                Telemetry telemetry = Telemetry.create(
                        TelemetrySettings.otlp(server.otlpEndpoint().toString()).withSampleRatio(sample))) {
            LanguageModel plain = server.model();
            LanguageModel traced = telemetry.traced(plain);
            Switch tracing = new Switch();
            LanguageModel model = new LanguageModel() {
                @Override
                public java.util.concurrent.CompletionStage<io.troupe.api.model.ModelResponse> generate(
                        io.troupe.api.model.ModelRequest request, io.troupe.api.model.TokenSink tokens) {
                    return (tracing.on ? traced : plain).generate(request, tokens);
                }

                @Override
                public boolean isRemote() {
                    return plain.isRemote(); // so that the runtime adds its resilience layer, as to the model itself
                }
            };
            Consumer<RunHandle> follow = run -> {
                if (tracing.on) {
                    telemetry.follow(run);
                }
            };
            try (JournalKind.Started started = JournalKind.MEMORY.start(model)) {
                Troupe troupe = started.troupe();
                long warmNanos = warmUp.toNanos() / 2;
                for (boolean on : new boolean[] {false, true}) {
                    tracing.on = on;
                    Runs.forDuration(troupe, team, BenchTeams.TASK, warmNanos, inFlight, follow)
                            .requireAllCompleted();
                }
                telemetry.flush(Duration.ofSeconds(30));
                Figures.info("tracing A/B: warmed up for " + warmUp.toSeconds() + " s; " + pairs + " pairs of "
                        + window.toSeconds() + " s windows, " + inFlight + " runs in flight, " + agents
                        + "-agent runs, model over HTTP");

                List<Double> off = new ArrayList<>();
                List<Double> on = new ArrayList<>();
                List<Double> differences = new ArrayList<>();
                List<Double> allocatedOff = new ArrayList<>();
                List<Double> allocatedOn = new ArrayList<>();
                for (int pair = 0; pair < pairs; pair++) {
                    double[] cpu = new double[2];
                    double[] allocated = new double[2];
                    boolean[] order = pair % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false};
                    for (boolean traceThis : order) {
                        tracing.on = traceThis;
                        long cpuBefore = os.getProcessCpuTime();
                        long allocatedBefore = threads.getTotalThreadAllocatedBytes();
                        Runs.Tally tally = Runs.forDuration(
                                        troupe, team, BenchTeams.TASK, window.toNanos(), inFlight, follow)
                                .requireAllCompleted();
                        if (traceThis && !telemetry.flush(Duration.ofSeconds(30))) {
                            throw new IllegalStateException("the OTLP receiver did not take the spans");
                        }
                        long steps = tally.total() * agents;
                        int slot = traceThis ? 1 : 0;
                        cpu[slot] = (os.getProcessCpuTime() - cpuBefore) / 1e3 / steps;
                        allocated[slot] = (double) (threads.getTotalThreadAllocatedBytes() - allocatedBefore) / steps;
                    }
                    off.add(cpu[0]);
                    on.add(cpu[1]);
                    differences.add(cpu[1] - cpu[0]);
                    allocatedOff.add(allocated[0]);
                    allocatedOn.add(allocated[1]);
                    Figures.info(String.format(
                            "  pair %d: off %.1f µs, on %.1f µs per step (%+.1f%%); %.0f B against %.0f B",
                            pair + 1, cpu[0], cpu[1], 100 * (cpu[1] - cpu[0]) / cpu[0], allocated[0], allocated[1]));
                }
                double offMedian = median(off);
                double difference = median(differences);
                String share = sample < 1 ? ", " + sample + " of runs traced" : "";
                Figures.print("tracing off, cpu/step, model over HTTP", offMedian, "µs", "median of " + pairs);
                Figures.print("tracing on, cpu/step, model over HTTP" + share, median(on), "µs", "median of " + pairs);
                Figures.print(
                        "tracing's cost, cpu/step" + share,
                        difference,
                        "µs",
                        String.format(
                                "median paired difference, %+.1f%% of off; goal ≤ 5%%: %s",
                                100 * difference / offMedian, difference / offMedian <= 0.05 ? "met" : "not met"));
                Figures.print(
                        "tracing's cost, allocated/step",
                        median(allocatedOn) - median(allocatedOff),
                        "B",
                        String.format("%.0f B off", median(allocatedOff)));
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** Whether runs started now are traced; read by the model and the run starter. */
    private static final class Switch {
        volatile boolean on;
    }
}
