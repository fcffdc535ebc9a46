package io.troupe.tune.model;

/**
 * Causal grouped-query attention, forward and backward: query head {@code h} reads key/value head {@code h / (heads /
 * kvHeads)}, each position attends to itself and the positions before it, and scores are scaled by {@code
 * 1/sqrt(headDim)} inside the softmax, as in ggml.
 */
final class Attention {
    private Attention() {}

    static void forward(ModelShape shape, Ops ops, Activations.Layer a, int n, Numerics numerics) {
        int heads = shape.heads();
        int hd = shape.headDim();
        int dim = shape.dim();
        int kvDim = shape.kvDim();
        int group = heads / shape.kvHeads();
        float scale = (float) (1.0 / Math.sqrt(hd));
        boolean half = numerics == Numerics.LLAMA_CPP;
        float[] q = half ? half(a.q) : a.q;
        float[] k = half ? half(a.k) : a.k;
        float[] v = half ? half(a.v) : a.v;
        float[] probs = a.probs;
        float[] att = a.att;
        Kernels kernels = ops.kernels();
        ops.parallel().forRange(heads * n, Math.max(1, 4096 / Math.max(1, n * hd)), (from, to) -> {
            float[] weights = new float[n];
            for (int index = from; index < to; index++) {
                int h = index / n;
                int t = index % n;
                int kvh = h / group;
                int qo = t * dim + h * hd;
                float max = Float.NEGATIVE_INFINITY;
                for (int s = 0; s <= t; s++) {
                    float score = kernels.dot(q, qo, k, s * kvDim + kvh * hd, hd) * scale;
                    weights[s] = score;
                    max = Math.max(max, score);
                }
                double sum = 0;
                for (int s = 0; s <= t; s++) {
                    float e = (float) Math.exp(weights[s] - max);
                    weights[s] = e;
                    sum += e;
                }
                float inverse = (float) (1.0 / sum);
                int po = (h * n + t) * n;
                for (int s = 0; s <= t; s++) {
                    float p = weights[s] * inverse;
                    probs[po + s] = p;
                    float used = half ? Float.float16ToFloat(Float.floatToFloat16(p)) : p;
                    kernels.axpy(used, v, s * kvDim + kvh * hd, att, qo, hd);
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
        Kernels kernels = ops.kernels();
        ops.parallel().forRange(shape.kvHeads(), 1, (from, to) -> {
            float[] dp = new float[n];
            for (int kvh = from; kvh < to; kvh++) {
                int ko = kvh * hd;
                for (int h = kvh * group; h < (kvh + 1) * group; h++) {
                    for (int t = 0; t < n; t++) {
                        int qo = t * dim + h * hd;
                        int po = (h * n + t) * n;
                        float dot = 0;
                        for (int s = 0; s <= t; s++) {
                            float g = kernels.dot(datt, qo, a.v, s * kvDim + ko, hd);
                            dp[s] = g;
                            dot += a.probs[po + s] * g;
                            kernels.axpy(a.probs[po + s], datt, qo, dv, s * kvDim + ko, hd);
                        }
                        for (int s = 0; s <= t; s++) {
                            float ds = a.probs[po + s] * (dp[s] - dot) * scale;
                            if (ds != 0) {
                                kernels.axpy(ds, a.k, s * kvDim + ko, dq, qo, hd);
                                kernels.axpy(ds, a.q, qo, dk, s * kvDim + ko, hd);
                            }
                        }
                    }
                }
            }
        });
    }

    private static float[] half(float[] values) {
        float[] rounded = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            rounded[i] = Float.float16ToFloat(Float.floatToFloat16(values[i]));
        }
        return rounded;
    }
}
