package io.troupe.tune.model;

/**
 * Causal grouped-query attention, forward and backward: query head {@code h} reads key/value head {@code h / (heads /
 * kvHeads)}, each position attends to itself and the positions before it, and scores are scaled by {@code
 * 1/sqrt(headDim)} inside the softmax, as in ggml.
 *
 * <p>Keys and values are transposed per head ({@code headDim} rows of positions), so that every inner loop runs over
 * positions: long vectors even when heads are narrow (stories260K's are 8 wide).
 */
final class Attention {
    private Attention() {}

    static void forward(ModelShape shape, Ops ops, Activations.Layer a, int n, Numerics numerics) {
        int heads = shape.heads();
        int hd = shape.headDim();
        int dim = shape.dim();
        int group = heads / shape.kvHeads();
        float scale = (float) (1.0 / Math.sqrt(hd));
        boolean half = numerics == Numerics.LLAMA_CPP;
        float[] q = half ? half(a.q) : a.q;
        float[][] kt = transpose(half ? half(a.k) : a.k, shape, n);
        float[][] vt = transpose(half ? half(a.v) : a.v, shape, n);
        float[] probs = a.probs;
        float[] att = a.att;
        Kernels kernels = ops.kernels();
        ops.parallel().forRange(heads * n, Math.max(1, 4096 / Math.max(1, n * hd)), (from, to) -> {
            float[] weights = new float[n];
            float[] used = half ? new float[n] : weights;
            for (int index = from; index < to; index++) {
                int h = index / n;
                int t = index % n;
                int count = t + 1;
                float[] k = kt[h / group];
                float[] v = vt[h / group];
                int qo = t * dim + h * hd;
                java.util.Arrays.fill(weights, 0, count, 0f);
                for (int j = 0; j < hd; j++) {
                    kernels.axpy(q[qo + j], k, j * n, weights, 0, count);
                }
                float max = Float.NEGATIVE_INFINITY;
                for (int s = 0; s < count; s++) {
                    weights[s] *= scale;
                    max = Math.max(max, weights[s]);
                }
                double sum = 0;
                for (int s = 0; s < count; s++) {
                    float e = (float) Math.exp(weights[s] - max);
                    weights[s] = e;
                    sum += e;
                }
                float inverse = (float) (1.0 / sum);
                int po = (h * n + t) * n;
                for (int s = 0; s < count; s++) {
                    float p = weights[s] * inverse;
                    probs[po + s] = p;
                    used[s] = half ? Float.float16ToFloat(Float.floatToFloat16(p)) : p;
                }
                for (int j = 0; j < hd; j++) {
                    att[qo + j] = kernels.dot(used, 0, v, j * n, count);
                }
            }
        });
    }

    /**
     * Adds the gradients of the attention inputs: {@code dq} ({@code n × dim}), {@code dk} and {@code dv} ({@code n ×
     * kvDim}), given {@code datt}, the gradient of its output. Each task owns one key/value head, so the sums over
     * positions into {@code dk} and {@code dv} never race.
     */
    static void backward(
            ModelShape shape, Ops ops, Activations.Layer a, int n, float[] datt, float[] dq, float[] dk, float[] dv) {
        int heads = shape.heads();
        int hd = shape.headDim();
        int dim = shape.dim();
        int kvDim = shape.kvDim();
        int group = heads / shape.kvHeads();
        float scale = (float) (1.0 / Math.sqrt(hd));
        float[][] kt = transpose(a.k, shape, n);
        float[][] vt = transpose(a.v, shape, n);
        Kernels kernels = ops.kernels();
        ops.parallel().forRange(shape.kvHeads(), 1, (from, to) -> {
            float[] dp = new float[n];
            for (int kvh = from; kvh < to; kvh++) {
                float[] k = kt[kvh];
                float[] v = vt[kvh];
                float[] dkt = new float[hd * n];
                float[] dvt = new float[hd * n];
                for (int h = kvh * group; h < (kvh + 1) * group; h++) {
                    for (int t = 0; t < n; t++) {
                        int count = t + 1;
                        int qo = t * dim + h * hd;
                        int po = (h * n + t) * n;
                        java.util.Arrays.fill(dp, 0, count, 0f);
                        for (int j = 0; j < hd; j++) {
                            float g = datt[qo + j];
                            kernels.axpy(g, v, j * n, dp, 0, count);
                            kernels.axpy(g, a.probs, po, dvt, j * n, count);
                        }
                        float dot = kernels.dot(a.probs, po, dp, 0, count);
                        for (int s = 0; s < count; s++) {
                            dp[s] = a.probs[po + s] * (dp[s] - dot) * scale; // now the score gradient
                        }
                        for (int j = 0; j < hd; j++) {
                            dq[qo + j] += kernels.dot(dp, 0, k, j * n, count);
                            kernels.axpy(a.q[qo + j], dp, 0, dkt, j * n, count);
                        }
                    }
                }
                for (int s = 0; s < n; s++) {
                    for (int j = 0; j < hd; j++) {
                        dk[s * kvDim + kvh * hd + j] += dkt[j * n + s];
                        dv[s * kvDim + kvh * hd + j] += dvt[j * n + s];
                    }
                }
            }
        });
    }

    /** Per key/value head, {@code headDim} rows of {@code n} positions. */
    private static float[][] transpose(float[] x, ModelShape shape, int n) {
        int hd = shape.headDim();
        int kvDim = shape.kvDim();
        float[][] heads = new float[shape.kvHeads()][hd * n];
        for (int s = 0; s < n; s++) {
            for (int kvh = 0; kvh < shape.kvHeads(); kvh++) {
                float[] head = heads[kvh];
                int o = s * kvDim + kvh * hd;
                for (int j = 0; j < hd; j++) {
                    head[j * n + s] = x[o + j];
                }
            }
        }
        return heads;
    }

    private static float[] half(float[] values) {
        float[] rounded = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            rounded[i] = Float.float16ToFloat(Float.floatToFloat16(values[i]));
        }
        return rounded;
    }
}
