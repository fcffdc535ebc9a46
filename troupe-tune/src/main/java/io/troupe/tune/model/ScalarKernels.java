package io.troupe.tune.model;

/** {@link Kernels} in plain Java, with independent accumulators so that the JIT can pipeline them. */
final class ScalarKernels implements Kernels {

    @Override
    public String describe() {
        return "scalar";
    }

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
        }
        float sum = (s0 + s1) + (s2 + s3);
        for (; i < n; i++) {
            sum += a[ao + i] * b[bo + i];
        }
        return sum;
    }

    @Override
    public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    @Override
    public void matmul(float[] x, int tokens, int in, float[] w, float[] y, int out, int o0, int o1) {
        for (int o = o0; o < o1; o++) {
            for (int t = 0; t < tokens; t++) {
                y[t * out + o] = dot(x, t * in, w, o * in, in);
            }
        }
    }

    @Override
    public void matmulBackward(float[] dy, int tokens, int out, float[] w, float[] dx, int in, int i0, int i1) {
        for (int t = 0; t < tokens; t++) {
            for (int o = 0; o < out; o++) {
                float g = dy[t * out + o];
                if (g != 0) {
                    axpy(g, w, o * in + i0, dx, t * in + i0, i1 - i0);
                }
            }
        }
    }

    @Override
    public void outer(float[] dy, int tokens, int out, float[] x, int in, float[] g, int o0, int o1) {
        for (int o = o0; o < o1; o++) {
            for (int t = 0; t < tokens; t++) {
                float d = dy[t * out + o];
                if (d != 0) {
                    axpy(d, x, t * in, g, o * in, in);
                }
            }
        }
    }
}
