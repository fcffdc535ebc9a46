package io.troupe.bench;

import com.sun.management.OperatingSystemMXBean;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Troupe;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * What a started runtime costs while it does nothing: the process CPU per second of wall time over an idle window,
 * after a few runs have warmed it up and a settling pause has let the JIT finish. Run it alone for a figure; {@code
 * IdleCostTest} checks it against a limit.
 *
 * <p>Arguments: {@code [memory|h2] [idle seconds]}; defaults {@code memory 10}.
 */
public final class IdleCost {
    private static final Duration SETTLE = Duration.ofSeconds(3);

    private IdleCost() {}

    public static void main(String[] args) throws InterruptedException {
        JournalKind journal = JournalKind.parse(args.length > 0 ? args[0] : "memory");
        Duration idle = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
        double millisPerSecond = measure(journal, idle);
        Figures.print("idle CPU of a started runtime, " + journal.label(), millisPerSecond, "ms/s", "goal ≤ 1 ms/s");
    }

    /** Starts a runtime, runs a few teams, waits for it to settle, and returns its CPU in ms per second of idling. */
    static double measure(JournalKind journal, Duration idle) throws InterruptedException {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (JournalKind.Started started = journal.start(BenchModels.instant(BenchModels.ANSWER))) {
            Troupe troupe = started.troupe();
            for (int i = 0; i < 20; i++) {
                Outcome outcome = Runs.once(troupe, BenchTeams.sequential3(), BenchTeams.TASK);
                if (!(outcome instanceof Outcome.Completed)) {
                    throw new IllegalStateException("a warm-up run did not complete: " + outcome.describe());
                }
            }
            Thread.sleep(SETTLE);
            Figures.info("idle for " + idle.toSeconds() + " s from now");
            long cpu = os.getProcessCpuTime();
            long wall = System.nanoTime();
            Thread.sleep(idle);
            return (os.getProcessCpuTime() - cpu) / 1e6 / ((System.nanoTime() - wall) / 1e9);
        }
    }
}
