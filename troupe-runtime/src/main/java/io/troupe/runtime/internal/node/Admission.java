package io.troupe.runtime.internal.node;

import io.troupe.api.run.OverloadedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Admission control for the runs a node starts: at most {@code maxInFlight} run at once; past that, up to {@code
 * maxQueued} wait in order of arrival for a run to end, each for at most {@code maxWait}; past that, a new run is
 * refused with an {@link OverloadedException}. Runs resumed after a restart and child runs are not counted: they
 * were admitted when they started. Thread-safe.
 */
final class Admission {
    private final int maxInFlight;
    private final int maxQueued;
    private final Duration maxWait;
    private final ActorSystem<?> system;
    private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    private int inFlight;

    /** What a run needs to start once admitted, and how to refuse it. */
    interface Start {
        void admitted();

        void refused(OverloadedException reason);
    }

    private record Waiting(Start start, Cancellable timeout) {}

    Admission(int maxInFlight, int maxQueued, Duration maxWait, ActorSystem<?> system) {
        this.maxInFlight = maxInFlight;
        this.maxQueued = maxQueued;
        this.maxWait = maxWait;
        this.system = system;
    }

    /**
     * Starts {@code start} now if there is room, or queues it.
     *
     * @throws OverloadedException if the node runs its most and as many runs wait as may
     */
    void admit(String conversationId, Start start) {
        synchronized (this) {
            if (inFlight < maxInFlight) {
                inFlight++;
            } else if (queue.size() < maxQueued) {
                queue.addLast(new Waiting(start, timeout(conversationId, start)));
                return;
            } else {
                throw overloaded(conversationId, "and " + queue.size() + " more wait to start");
            }
        }
        start.admitted();
    }

    /** A run admitted earlier has ended: the longest-waiting run, if any, starts in its place. */
    void release() {
        Waiting next;
        synchronized (this) {
            next = queue.pollFirst();
            if (next == null) {
                inFlight--;
                return;
            }
        }
        next.timeout().cancel();
        next.start().admitted();
    }

    /** How many admitted runs have not ended. */
    synchronized int inFlight() {
        return inFlight;
    }

    /** How many runs wait to start. */
    synchronized int waiting() {
        return queue.size();
    }

    private Cancellable timeout(String conversationId, Start start) {
        return system.scheduler()
                .scheduleOnce(
                        maxWait,
                        () -> {
                            boolean removed;
                            synchronized (this) {
                                removed = remove(start);
                            }
                            if (removed) {
                                start.refused(overloaded(
                                        conversationId,
                                        "and it waited " + maxWait.toMillis() + " ms without a run ending"));
                            }
                        },
                        system.executionContext());
    }

    private boolean remove(Start start) {
        for (Iterator<Waiting> i = queue.iterator(); i.hasNext(); ) {
            if (i.next().start() == start) {
                i.remove();
                return true;
            }
        }
        return false;
    }

    private OverloadedException overloaded(String conversationId, String detail) {
        return new OverloadedException(
                "Run " + conversationId + " was refused: this runtime already runs its"
                        + " maximum of " + maxInFlight + " runs at once " + detail
                        + ". Retry later, or raise the limits with"
                        + " TroupeRuntime.builder().maxRunsInFlight(n) and .maxQueuedRuns(n) if the machine has the memory"
                        + " (each run in flight keeps its state in memory).",
                maxInFlight);
    }
}
