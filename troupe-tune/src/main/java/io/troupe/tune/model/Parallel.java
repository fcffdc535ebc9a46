package io.troupe.tune.model;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import org.jspecify.annotations.Nullable;

/**
 * Runs loops over index ranges on a fixed number of threads. One thread runs everything on the caller, without a
 * pool. Closing shuts the pool down. Thread-safe.
 */
public final class Parallel implements AutoCloseable {
    private final int threads;
    private final @Nullable ForkJoinPool pool;

    /** A runner on {@code threads} threads; 1 runs on the caller. */
    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
    }

    /** The number of threads. */
    public int threads() {
        return threads;
    }

    /** A body that handles indices {@code from} (inclusive) to {@code to} (exclusive). */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into chunks of at least {@code grain} indices, a few per thread so
     * that uneven chunks balance.
     */
    public void forRange(int n, int grain, Range body) {
        if (n <= 0) {
            return;
        }
        if (pool == null || n <= grain) {
            body.run(0, n);
            return;
        }
        int chunk = Math.max(grain, (n + threads * 4 - 1) / (threads * 4));
        pool.invoke(new Split(0, n, chunk, body));
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    private static final class Split extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final int from;
        private final int to;
        private final int chunk;
        private final transient Range body;

        Split(int from, int to, int chunk, Range body) {
            this.from = from;
            this.to = to;
            this.chunk = chunk;
            this.body = body;
        }

        @Override
        protected void compute() {
            if (to - from <= chunk) {
                body.run(from, to);
                return;
            }
            int middle = from + (to - from) / 2;
            invokeAll(new Split(from, middle, chunk, body), new Split(middle, to, chunk, body));
        }
    }
}
