package io.troupe.runtime.internal.node;

import java.util.concurrent.TimeUnit;

/**
 * The grid that a {@link QuietScheduler}'s periodic tasks run on, so that an idle node wakes once for all of those due
 * together instead of once for each: a task whose delay is a whole number of seconds runs on whole seconds of the
 * grid's clock, one of a whole number of 100 ms on whole 100 ms, and so on down to 10 ms; any other is not moved.
 * A run may come up to one grid step later than asked, and the grid tolerates a late start of a tenth of a step
 * instead of slipping a step. Immutable; thread-safe.
 */
final class Grid {
    /** The grid's steps, coarsest first. */
    private static final long[] STEPS = {
        TimeUnit.SECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(10)
    };

    /** The grid's origin on {@link System#nanoTime()}'s clock. */
    private final long origin = System.nanoTime();

    /** The step of the grid that a periodic task with {@code delay} runs on: the coarsest that divides it, or 0. */
    static long step(long delay) {
        for (long step : STEPS) {
            if (delay >= step && delay % step == 0) {
                return step;
            }
        }
        return 0;
    }

    /**
     * When a periodic task due at {@code dueAt} (on {@link System#nanoTime()}'s clock) runs on a grid with {@code
     * step}: at the first grid point not before a tenth of a step before it is due; at {@code dueAt} for step 0.
     */
    long point(long dueAt, long step) {
        if (step == 0) {
            return dueAt;
        }
        return origin + Math.ceilDiv(dueAt - step / 10 - origin, step) * step;
    }
}
