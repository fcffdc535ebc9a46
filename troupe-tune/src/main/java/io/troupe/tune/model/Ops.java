package io.troupe.tune.model;

/** The transformer's linear algebra: {@link Kernels} spread over the threads of a {@link Parallel}. */
final class Ops {
    /** Below this many multiply-adds a slice is not worth a task of its own. */
    private static final int MIN_WORK = 1 << 16;

    private final Kernels kernels;
    private final Parallel parallel;

    Ops(Kernels kernels, Parallel parallel) {
        this.kernels = kernels;
        this.parallel = parallel;
    }

    Kernels kernels() {
        return kernels;
    }

    Parallel parallel() {
        return parallel;
    }

    /** {@code y = x · wᵀ}: {@code x} is {@code tokens × in}, {@code w} is {@code out × in}, {@code y} is {@code tokens × out}. */
    void linear(float[] x, int tokens, int in, float[] w, int out, float[] y) {
        int grain = Math.max(1, MIN_WORK / Math.max(1, tokens * in));
        parallel.forRange(out, grain, (o0, o1) -> kernels.matmul(x, tokens, in, w, y, out, o0, o1));
    }

    /** {@code dx += dy · w}: the gradient with respect to the input of {@link #linear}. */
    void linearBackward(float[] dy, int tokens, int out, float[] w, int in, float[] dx) {
        int blocks = (in + 63) / 64;
        int grain = Math.max(1, MIN_WORK / Math.max(1, tokens * out * 64));
        parallel.forRange(
                blocks,
                grain,
                (b0, b1) -> kernels.matmulBackward(dy, tokens, out, w, dx, in, b0 * 64, Math.min(in, b1 * 64)));
    }

    /** {@code g += dyᵀ · x}: the gradient with respect to the weight of {@link #linear}. */
    void weightGradient(float[] dy, int tokens, int out, float[] x, int in, float[] g) {
        int grain = Math.max(1, MIN_WORK / Math.max(1, tokens * in));
        parallel.forRange(out, grain, (o0, o1) -> kernels.outer(dy, tokens, out, x, in, g, o0, o1));
    }
}
