package io.troupe.tune.lora;

import java.time.Duration;

/**
 * The speed of the last few training steps, for progress: a run's first steps are slow (the JIT compiles the kernels),
 * so a rate averaged since the start would understate the speed and overstate the time left for minutes. Not safe for
 * concurrent use.
 */
final class RecentSteps {
    static final int SIZE = 10;

    private final long[] times = new long[SIZE + 1];
    private final long[] tokens = new long[SIZE + 1];
    private int count;

    /** A window that starts at {@code startNanos} with no tokens processed. */
    RecentSteps(long startNanos) {
        times[0] = startNanos;
    }

    /** Records a step that ended at {@code nanos}, with {@code totalTokens} processed since the start. */
    void add(long nanos, long totalTokens) {
        count++;
        times[count % (SIZE + 1)] = nanos;
        tokens[count % (SIZE + 1)] = totalTokens;
    }

    /** Tokens per second over the last {@link #SIZE} steps (or since the start, before that many). */
    double tokensPerSecond() {
        int oldest = oldest();
        double seconds = (times[count % (SIZE + 1)] - times[oldest]) / 1e9;
        return (tokens[count % (SIZE + 1)] - tokens[oldest]) / Math.max(seconds, 1e-9);
    }

    /** The time {@code steps} more steps take at the pace of the last {@link #SIZE}. */
    Duration timeFor(int steps) {
        if (count == 0) {
            return Duration.ZERO;
        }
        int span = Math.min(count, SIZE);
        long perStep = (times[count % (SIZE + 1)] - times[oldest()]) / span;
        return Duration.ofNanos(perStep * steps);
    }

    private int oldest() {
        return Math.max(0, count - SIZE) % (SIZE + 1);
    }
}
