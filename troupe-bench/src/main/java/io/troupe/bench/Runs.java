package io.troupe.bench;

import io.troupe.api.run.Outcome;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/** Starts many runs with a bound on how many are in flight, and counts how they end. */
final class Runs {
    private Runs() {}

    /** How a batch of runs ended. */
    record Tally(long completed, long other, String firstOther) {
        long total() {
            return completed + other;
        }

        /** Throws if any run did not complete: a benchmark of failing runs measures the wrong thing. */
        Tally requireAllCompleted() {
            if (other > 0) {
                throw new IllegalStateException(
                        other + " of " + total() + " runs did not complete; the first: " + firstOther);
            }
            return this;
        }
    }

    /**
     * Runs {@code team} on {@code task} {@code count} times with at most {@code inFlight} runs at once, and waits for
     * all of them. Only the calling thread blocks, to wait for a free slot.
     */
    static Tally bounded(Troupe troupe, TeamSpec team, String task, long count, int inFlight) {
        return until(troupe, team, task, inFlight, started -> started < count, run -> {});
    }

    /** Like {@link #bounded}, but keeps starting runs until {@code nanos} have passed. */
    static Tally forDuration(Troupe troupe, TeamSpec team, String task, long nanos, int inFlight) {
        return forDuration(troupe, team, task, nanos, inFlight, run -> {});
    }

    /** Like {@link #forDuration}, handing each run to {@code follow} as it starts (to trace it, say). */
    static Tally forDuration(
            Troupe troupe,
            TeamSpec team,
            String task,
            long nanos,
            int inFlight,
            java.util.function.Consumer<io.troupe.api.run.RunHandle> follow) {
        long deadline = System.nanoTime() + nanos;
        return until(troupe, team, task, inFlight, started -> System.nanoTime() < deadline, follow);
    }

    private interface Condition {
        boolean more(long started);
    }

    private static Tally until(
            Troupe troupe,
            TeamSpec team,
            String task,
            int inFlight,
            Condition condition,
            java.util.function.Consumer<io.troupe.api.run.RunHandle> follow) {
        Semaphore slots = new Semaphore(inFlight);
        AtomicLong completed = new AtomicLong();
        AtomicLong other = new AtomicLong();
        StringBuilder firstOther = new StringBuilder();
        long started = 0;
        try {
            while (condition.more(started)) {
                slots.acquire();
                started++;
                io.troupe.api.run.RunHandle run = troupe.submit(team, task, java.util.Map.of());
                follow.accept(run);
                run.outcome().whenComplete((outcome, failure) -> {
                    if (failure == null && outcome instanceof Outcome.Completed) {
                        completed.incrementAndGet();
                    } else {
                        if (other.getAndIncrement() == 0) {
                            synchronized (firstOther) {
                                firstOther.append(failure != null ? failure.toString() : outcome.describe());
                            }
                        }
                    }
                    slots.release();
                });
            }
            if (!slots.tryAcquire(inFlight, 120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(new TimeoutException(
                        (inFlight - slots.availablePermits()) + " runs still in flight after 120 s"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running the batch", e);
        }
        synchronized (firstOther) {
            return new Tally(completed.get(), other.get(), firstOther.toString());
        }
    }

    /** Runs {@code team} once and waits for its outcome. */
    static Outcome once(Troupe troupe, TeamSpec team, String task) {
        try {
            return troupe.run(team, task).outcome().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("run failed: " + e, e);
        }
    }
}
