package io.troupe.runtime.internal.node;

import java.time.Duration;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Makes sure every run followed from a node ends, one sweep for all of them (a timer per run would cost each run a
 * timer and its cancellation): a run whose start is not journaled in time fails to start; and since a run always ends
 * by its wall-clock budget, a run not heard to end shortly after that lost its conversation entity (a journal outage,
 * say). Subscribing again restarts it from the journal, and the restarted entity finishes the run; the check repeats
 * until it has. A run not heard from for a while may have moved to another node, which does not know this node
 * follows it: this node subscribes again from where it is ({@link RunListeners#checkQuiet}).
 */
final class LivenessSweep {
    private static final Duration LIVENESS_GRACE = Duration.ofSeconds(15);
    /** How long a run's start may take to be journaled before the run fails to start. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** How often the liveness sweep looks at the runs followed from this node. */
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);
    /** The longest wait before a liveness check: a run with a distant wall clock is checked on this pace. */
    private static final Duration MAX_WAIT = Duration.ofDays(1);

    private final RunListeners listeners;
    /** Subscribes the node's listeners to a run again, by its id. */
    private final Consumer<String> resubscribe;

    private LivenessSweep(RunListeners listeners, Consumer<String> resubscribe) {
        this.listeners = listeners;
        this.resubscribe = resubscribe;
    }

    /**
     * Sweeps the runs {@code listeners} follow every few seconds on {@code system}'s scheduler, for as long as the
     * system runs; a silent run is handed to {@code resubscribe}.
     */
    static void start(ActorSystem<?> system, RunListeners listeners, Consumer<String> resubscribe) {
        LivenessSweep sweep = new LivenessSweep(listeners, resubscribe);
        system.scheduler()
                .scheduleWithFixedDelay(SWEEP_INTERVAL, SWEEP_INTERVAL, sweep::sweep, system.executionContext());
    }

    /** When (nanoTime) the start of a run asked for at {@code now} (nanoTime) is overdue. */
    static long startDeadline(long now) {
        return now + START_TIMEOUT.toNanos();
    }

    /**
     * When the liveness sweep first checks a run followed from {@code now} (nanoTime) whose wall clock has {@code
     * wallClockLeft} to run: shortly after the run must have ended.
     */
    static long checkAt(long now, Duration wallClockLeft) {
        Duration left = wallClockLeft.isNegative() ? Duration.ZERO : wallClockLeft;
        long nanos = left.compareTo(MAX_WAIT) > 0
                ? MAX_WAIT.toNanos()
                : left.plus(LIVENESS_GRACE).toNanos();
        return now + nanos;
    }

    private void sweep() {
        listeners.checkQuiet();
        long now = System.nanoTime();
        listeners.forEachOpen(listener -> {
            switch (listener.check(now, LIVENESS_GRACE.toNanos())) {
                case START_OVERDUE -> {
                    listener.failedToStart(new Node.NodeException(
                            "Run " + listener.conversationId() + " could not be journaled within "
                                    + START_TIMEOUT.toSeconds() + " s. Check that the journal is reachable.",
                            null));
                    listener.startTimedOut();
                }
                case SILENT -> resubscribe.accept(listener.conversationId());
                case FINE -> {}
            }
        });
    }
}
