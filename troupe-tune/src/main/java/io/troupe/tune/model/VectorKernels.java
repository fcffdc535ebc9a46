package io.troupe.tune.model;

import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels} with the Vector API: fused multiply-adds on the widest vectors the CPU has. {@link #matmul} works on
 * four tokens at once, so each weight row is loaded once per four tokens.
 */
final class VectorKernels implements Kernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int TILE = 64;

    @Override
    public String describe() {
        return "vector (" + L + " floats)";
    }

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        float sum = 0;
        if (bound > 0) {
            FloatVector acc = FloatVector.zero(S);
            for (; i < bound; i += L) {
                acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
            }
            sum = sum(acc);
        }
        for (; i < n; i++) {
            sum += a[ao + i] * b[bo + i];
        }
        return sum;
    }

    /** Shuffles that bring lane {@code i + width} to lane {@code i}, for widths L/2, L/4, … 1. */
    private static final List<VectorShuffle<Float>> HALVES = halves();

    private static List<VectorShuffle<Float>> halves() {
        List<VectorShuffle<Float>> shuffles = new ArrayList<>();
        for (int width = L / 2; width >= 1; width /= 2) {
            int w = width;
            shuffles.add(VectorShuffle.fromOp(S, i -> (i + w) % L));
        }
        return List.copyOf(shuffles);
    }

    /**
     * The sum of the lanes in a fixed order: a tree of lanewise additions. {@code reduceLanes(ADD)} leaves the order
     * unspecified, and the JIT's intrinsic and the interpreter's fallback do differ, which would make training
     * depend on when code was compiled.
     */
    private static float sum(FloatVector v) {
        FloatVector folded = v;
        for (VectorShuffle<Float> half : HALVES) {
            folded = folded.add(folded.rearrange(half));
        }
        return folded.lane(0);
    }

    @Override
    public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int bound = S.loopBound(n);
        int i = 0;
        if (bound > 0) {
            FloatVector a = FloatVector.broadcast(S, alpha);
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, x, xo + i)
                        .fma(a, FloatVector.fromArray(S, y, yo + i))
                        .intoArray(y, yo + i);
            }
        }
        for (; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    @Override
    public void matmul(float[] x, int tokens, int in, float[] w, float[] y, int out, int o0, int o1) {
        int bound = S.loopBound(in);
        // Tiles of tokens and outputs keep both operands in cache for large inputs.
        for (int tt = 0; tt < tokens; tt += TILE) {
            int tEnd = Math.min(tokens, tt + TILE);
            for (int oo = o0; oo < o1; oo += TILE) {
                int oEnd = Math.min(o1, oo + TILE);
                for (int o = oo; o < oEnd; o++) {
                    int wo = o * in;
                    int t = tt;
                    for (; t + 4 <= tEnd; t += 4) {
                        int x0 = t * in;
                        int x1 = x0 + in;
                        int x2 = x1 + in;
                        int x3 = x2 + in;
                        FloatVector a0 = FloatVector.zero(S);
                        FloatVector a1 = a0;
                        FloatVector a2 = a0;
                        FloatVector a3 = a0;
                        int i = 0;
                        for (; i < bound; i += L) {
                            FloatVector wv = FloatVector.fromArray(S, w, wo + i);
                            a0 = FloatVector.fromArray(S, x, x0 + i).fma(wv, a0);
                            a1 = FloatVector.fromArray(S, x, x1 + i).fma(wv, a1);
                            a2 = FloatVector.fromArray(S, x, x2 + i).fma(wv, a2);
                            a3 = FloatVector.fromArray(S, x, x3 + i).fma(wv, a3);
                        }
                        float s0 = sum(a0);
                        float s1 = sum(a1);
                        float s2 = sum(a2);
                        float s3 = sum(a3);
                        for (; i < in; i++) {
                            float wi = w[wo + i];
                            s0 += x[x0 + i] * wi;
                            s1 += x[x1 + i] * wi;
                            s2 += x[x2 + i] * wi;
                            s3 += x[x3 + i] * wi;
                        }
                        y[t * out + o] = s0;
                        y[(t + 1) * out + o] = s1;
                        y[(t + 2) * out + o] = s2;
                        y[(t + 3) * out + o] = s3;
                    }
                    for (; t < tEnd; t++) {
                        y[t * out + o] = dot(x, t * in, w, wo, in);
                    }
                }
            }
        }
    }

    @Override
    public void matmulBackward(float[] dy, int tokens, int out, float[] w, float[] dx, int in, int i0, int i1) {
        int span = i1 - i0;
        int bound = S.loopBound(span);
        int t = 0;
        for (; t + 4 <= tokens; t += 4) {
            int d0 = t * out;
            for (int i = 0; i < bound; i += L) {
                int col = i0 + i;
                FloatVector a0 = FloatVector.fromArray(S, dx, t * in + col);
                FloatVector a1 = FloatVector.fromArray(S, dx, (t + 1) * in + col);
                FloatVector a2 = FloatVector.fromArray(S, dx, (t + 2) * in + col);
                FloatVector a3 = FloatVector.fromArray(S, dx, (t + 3) * in + col);
                for (int o = 0; o < out; o++) {
                    FloatVector wv = FloatVector.fromArray(S, w, o * in + col);
                    a0 = wv.fma(FloatVector.broadcast(S, dy[d0 + o]), a0);
                    a1 = wv.fma(FloatVector.broadcast(S, dy[d0 + out + o]), a1);
                    a2 = wv.fma(FloatVector.broadcast(S, dy[d0 + 2 * out + o]), a2);
                    a3 = wv.fma(FloatVector.broadcast(S, dy[d0 + 3 * out + o]), a3);
                }
                a0.intoArray(dx, t * in + col);
                a1.intoArray(dx, (t + 1) * in + col);
                a2.intoArray(dx, (t + 2) * in + col);
                a3.intoArray(dx, (t + 3) * in + col);
            }
            for (int k = 0; k < 4; k++) {
                tail(dy, (t + k) * out, out, w, dx, (t + k) * in, in, i0 + bound, i1);
            }
        }
        for (; t < tokens; t++) {
            for (int o = 0; o < out; o++) {
                float g = dy[t * out + o];
                if (g != 0) {
                    axpy(g, w, o * in + i0, dx, t * in + i0, span);
                }
            }
        }
    }

    private static void tail(float[] dy, int dyo, int out, float[] w, float[] dx, int dxo, int in, int from, int to) {
        for (int col = from; col < to; col++) {
            float sum = dx[dxo + col];
            for (int o = 0; o < out; o++) {
                sum += dy[dyo + o] * w[o * in + col];
            }
            dx[dxo + col] = sum;
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
