package io.troupe.tune.model;

/**
 * The inner loops of the transformer, on row-major float arrays. Two implementations: {@link VectorKernels} with the
 * Vector API (SIMD, when the JVM runs with {@code --add-modules jdk.incubator.vector}) and {@link ScalarKernels}.
 * Each method handles a slice of the work so that {@link Ops} can spread slices over threads.
 */
interface Kernels {

    /** The kernels this JVM runs fastest: SIMD when the Vector API module is present. */
    static Kernels best() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                ? new VectorKernels()
                : new ScalarKernels();
    }

    /** A short name for reports: "vector (16 floats)" or "scalar". */
    String describe();

    /** {@code sum_i a[ao + i] * b[bo + i]} over {@code n} elements. */
    float dot(float[] a, int ao, float[] b, int bo, int n);

    /** {@code y[yo + i] += alpha * x[xo + i]} over {@code n} elements. */
    void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n);

    /**
     * {@code y[t][o] = sum_i x[t][i] * w[o][i]} for tokens {@code t < tokens} and outputs {@code o} in {@code [o0,
     * o1)}: {@code x} is {@code tokens × in}, {@code w} is {@code out × in} (ggml's layout of a weight), {@code y} is
     * {@code tokens × out}.
     */
    void matmul(float[] x, int tokens, int in, float[] w, float[] y, int out, int o0, int o1);

    /**
     * {@code dx[t][i] += sum_o dy[t][o] * w[o][i]} for inputs {@code i} in {@code [i0, i1)}: the gradient through a
     * weight, {@code dy} is {@code tokens × out}, {@code dx} is {@code tokens × in}.
     */
    void matmulBackward(float[] dy, int tokens, int out, float[] w, float[] dx, int in, int i0, int i1);

    /**
     * {@code g[o][i] += sum_t dy[t][o] * x[t][i]} for outputs {@code o} in {@code [o0, o1)}: the gradient of a
     * weight, {@code g} is {@code out × in}.
     */
    void outer(float[] dy, int tokens, int out, float[] x, int in, float[] g, int o0, int o1);
}
