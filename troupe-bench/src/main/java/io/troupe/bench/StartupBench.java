package io.troupe.bench;

import io.troupe.api.run.Outcome;
import io.troupe.api.run.Troupe;
import java.lang.management.ManagementFactory;

/**
 * Time to ready: from the start of this JVM to a started runtime, and then to the end of a first 3-agent run. Run it
 * in a fresh JVM each time (run.sh does): the JVM's own start, class loading and the JIT's first minutes are the
 * point.
 *
 * <p>Phases: the JVM up to {@code main}, {@code TroupeRuntime.builder()...start()} (actor system, cluster join,
 * journal, sharding), and a first run. It also reports the process CPU spent until ready, which other processes on a
 * busy machine disturb less than the wall time. Run with a JDK AOT cache ({@code -XX:AOTCache=...}), its figures say so.
 * Arguments: {@code [memory|h2]}; default {@code memory}.
 */
public final class StartupBench {
    private static final double TARGET_MILLIS = 600;

    private StartupBench() {}

    public static void main(String[] args) {
        long mainAt = System.currentTimeMillis();
        long mainNanos = System.nanoTime();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        com.sun.management.OperatingSystemMXBean cpu =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        JournalKind journal = JournalKind.parse(args.length > 0 ? args[0] : "memory");
        boolean aotCache = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(argument -> argument.startsWith("-XX:AOTCache="));
        String label = journal.label() + (aotCache ? ", AOT cache" : "");
        try (JournalKind.Started started = journal.start(BenchModels.instant(BenchModels.ANSWER))) {
            long readyNanos = System.nanoTime();
            long readyCpu = cpu.getProcessCpuTime();
            Troupe troupe = started.troupe();
            Outcome outcome = Runs.once(troupe, BenchTeams.sequential3(), BenchTeams.TASK);
            long firstRunNanos = System.nanoTime();
            if (!(outcome instanceof Outcome.Completed)) {
                throw new IllegalStateException("the first run did not complete: " + outcome.describe());
            }
            double toMain = mainAt - jvmStart;
            double start = (readyNanos - mainNanos) / 1e6;
            Figures.print("JVM start to main, " + label, toMain, "ms", "");
            Figures.print("runtime start, " + label, start, "ms", "");
            Figures.print(
                    "time until ready (JVM + runtime), " + label,
                    toMain + start,
                    "ms",
                    "target ≤ " + (int) TARGET_MILLIS + " ms: " + Figures.verdict(toMain + start, TARGET_MILLIS));
            Figures.print(
                    "CPU until ready (all threads, JIT and GC included), " + label,
                    readyCpu / 1e6,
                    "ms",
                    "less sensitive to other load than the wall time");
            Figures.print("first 3-agent run, " + label, (firstRunNanos - readyNanos) / 1e6, "ms", "");
        }
    }
}
