package io.troupe.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * CPU and allocation per agent step above the model call, measured on the whole process while many runs are in
 * flight.
 *
 * <p>The runtime is asynchronous: a step hops between actor, journal and model threads, so the time one thread spends
 * says little. This benchmark instead runs a 3-agent sequential team over and over with a bounded number of runs in
 * flight and a model that answers at once, and divides the process CPU time ({@link
 * OperatingSystemMXBean#getProcessCpuTime}: every thread, including the garbage collector and JIT) and the bytes
 * allocated by all threads by the number of agent steps. Idle background CPU (cluster gossip, timers) is measured
 * separately and reported, not subtracted.
 *
 * <p>Arguments: {@code [memory|h2|postgres] [warm-up seconds] [measured seconds] [runs in flight] [agents]
 * [interceptors] [off|otel] [instant|http]}; defaults {@code memory 15 20 64 3 0 off instant}. On {@code postgres} the benchmark starts an
 * embedded PostgreSQL and reports its server processes' CPU beside the JVM's. With {@code otel}, every run is followed
 * by {@link io.troupe.telemetry.Telemetry} and its spans and metrics exported over OTLP/HTTP to {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT} (a receiver in another process), and the model is traced: the cost of tracing. With
 * {@code http}, the model is an OpenAI-compatible server on loopback in a JVM of its own ({@link LoopbackLlm}), called
 * through Troupe's LangChain4j client: a step is then an agent step with a real model call (its HTTP and JSON), and
 * the server's CPU is reported apart. Runs
 * with 1 and 9 agents separate the cost of a step from the fixed cost of
 * a run; runs with interceptors (each lets everything through) measure the interception seam: a step has six
 * interception points (the request perceived, the model call and its answer, the answer sent, and for the first
 * agent the task).
 */
public final class CpuPerStepBench {
    /** The target for the in-memory journal. */
    private static final double TARGET_MICROS = 100;

    private CpuPerStepBench() {}

    public static void main(String[] args) throws java.io.IOException {
        JournalKind journal = JournalKind.parse(args.length > 0 ? args[0] : "memory");
        Duration warmUp = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 15);
        Duration measured = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 20);
        int inFlight = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        int agents = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        int interceptors = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        boolean tracing = args.length > 6 && args[6].equals("otel");
        boolean http = args.length > 7 && args[7].equals("http");
        String label = journal.label()
                + (http ? ", model over HTTP" : "")
                + (agents == 3 ? "" : ", " + agents + " agents")
                + (interceptors == 0 ? "" : ", " + interceptors + " interceptors")
                + (tracing ? ", tracing on" : "");
        io.troupe.telemetry.Telemetry telemetry = tracing
                ? io.troupe.telemetry.Telemetry.create(
                        io.troupe.telemetry.TelemetrySettings.fromEnvironment(System::getenv))
                : null;
        if (tracing && !telemetry.settings().exports()) {
            throw new IllegalArgumentException(
                    "tracing 'otel' needs OTEL_EXPORTER_OTLP_ENDPOINT, the address of an OTLP/HTTP receiver");
        }
        java.util.function.Consumer<io.troupe.api.run.RunHandle> follow =
                telemetry == null ? run -> {} : telemetry::follow;
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        TeamSpec team = BenchTeams.sequential(agents);

        try (LoopbackLlm server = http ? LoopbackLlm.start() : null;
                JournalKind.Started started = journal.start(
                        server != null ? server.model() : BenchModels.instant(BenchModels.ANSWER),
                        interceptors,
                        telemetry == null ? m -> m : telemetry::traced)) {
            Troupe troupe = started.troupe();
            Runs.Tally warm = Runs.forDuration(troupe, team, BenchTeams.TASK, warmUp.toNanos(), inFlight, follow)
                    .requireAllCompleted();
            Figures.info(label + ": warm-up ran " + warm.total() + " runs in " + warmUp.toSeconds() + " s");

            long idleCpu = os.getProcessCpuTime();
            long idleWall = System.nanoTime();
            sleep(Duration.ofSeconds(2));
            double idleCores = (double) (os.getProcessCpuTime() - idleCpu) / (System.nanoTime() - idleWall);

            long serverCpuBefore = started.serverCpuNanos();
            long modelServerCpuBefore = server == null ? 0 : server.cpuNanos();
            long gcBefore = gcMillis();
            long cpuBefore = os.getProcessCpuTime();
            long allocatedBefore = threads.getTotalThreadAllocatedBytes();
            long wallBefore = System.nanoTime();
            Runs.Tally tally = Runs.forDuration(troupe, team, BenchTeams.TASK, measured.toNanos(), inFlight, follow)
                    .requireAllCompleted();
            long wall = System.nanoTime() - wallBefore;
            long cpu = os.getProcessCpuTime() - cpuBefore;
            long allocated = threads.getTotalThreadAllocatedBytes() - allocatedBefore;
            long gc = gcMillis() - gcBefore;
            long serverCpu = started.serverCpuNanos() - serverCpuBefore;
            long modelServerCpu = server == null ? 0 : server.cpuNanos() - modelServerCpuBefore;

            long steps = tally.total() * agents;
            double cpuMicrosPerStep = cpu / 1e3 / steps;
            double wallMicrosPerStep = wall / 1e3 / steps;
            Figures.info(label + ": measured " + tally.total() + " runs (" + steps + " steps) in "
                    + String.format("%.1f", wall / 1e9) + " s wall, " + String.format("%.1f", cpu / 1e9)
                    + " s CPU (" + String.format("%.2f", (double) cpu / wall) + " cores busy), GC " + gc
                    + " ms, with " + inFlight + " runs in flight; idle background "
                    + String.format("%.3f", idleCores) + " cores");
            Figures.print(
                    "cpu/step, process CPU, " + label,
                    cpuMicrosPerStep,
                    "µs",
                    journal == JournalKind.MEMORY && agents == 3 && !http
                            ? "target ≤ " + (int) TARGET_MICROS + " µs: "
                                    + Figures.verdict(cpuMicrosPerStep, TARGET_MICROS)
                            : "");
            if (journal == JournalKind.POSTGRES) {
                Figures.print(
                        "cpu/step, PostgreSQL server processes, " + label,
                        serverCpu / 1e3 / steps,
                        "µs",
                        "beside the JVM's figure above");
            }
            if (server != null) {
                Figures.print(
                        "cpu/step, the model server's process, " + label,
                        modelServerCpu / 1e3 / steps,
                        "µs",
                        "not in the figure above");
            }
            Figures.print("wall/step at " + inFlight + " in flight, " + label, wallMicrosPerStep, "µs", "throughput");
            Figures.print("runs/s at " + inFlight + " in flight, " + label, tally.total() / (wall / 1e9), "runs/s", "");
            Figures.print("allocated/step, all threads, " + label, (double) allocated / steps, "B", "");
        } finally {
            if (telemetry != null) {
                telemetry.close();
            }
        }
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
