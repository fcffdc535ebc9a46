package io.troupe.tune.model;

import java.util.Random;

/**
 * The speed of the plain matrix product the transformer is built on, for comparing training throughput with what
 * the machine can do: {@code y = x · wᵀ} with the same kernels and threads the trainer uses.
 */
public final class KernelBenchmark {
    private KernelBenchmark() {}

    /**
     * Multiplies a {@code tokens × in} matrix by an {@code out × in} weight {@code repetitions} times, after a warm-up,
     * and returns the best rate in GFLOP/s (2 floating-point operations per multiply-add).
     */
    public static double matmulGflops(Parallel parallel, int tokens, int in, int out, int repetitions) {
        Ops ops = new Ops(Kernels.best(), parallel);
        Random random = new Random(1);
        float[] x = new float[tokens * in];
        float[] w = new float[out * in];
        float[] y = new float[tokens * out];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat() - 0.5f;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextFloat() - 0.5f;
        }
        // Warm-up: many small products get the kernels compiled (interpreted vector code is very slow), then the
        // real size runs for a second.
        float[] small = new float[16 * 64];
        float[] smallOut = new float[16 * 64];
        for (int i = 0; i < 20_000; i++) {
            ops.linear(small, 16, 64, small, 16, smallOut);
        }
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            ops.linear(x, tokens, in, w, out, y);
        }
        long best = Long.MAX_VALUE;
        for (int r = 0; r < repetitions; r++) {
            long start = System.nanoTime();
            ops.linear(x, tokens, in, w, out, y);
            best = Math.min(best, System.nanoTime() - start);
        }
        return 2.0 * tokens * in * out / best;
    }

    /** The kernels in use: "vector (16 floats)" or "scalar". */
    public static String kernels() {
        return Kernels.best().describe();
    }
}
