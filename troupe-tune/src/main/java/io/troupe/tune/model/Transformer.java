package io.troupe.tune.model;

import java.util.Arrays;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * A {@code llama} or {@code qwen2} transformer computed in Java, with an optional LoRA adapter: the forward pass of
 * llama.cpp b4916 (RMSNorm, RoPE of the architecture's style, grouped-query causal attention, SwiGLU), used for
 * training and for checking against llama.cpp.
 *
 * <p>It runs whole sequences (no key/value cache): the shape training needs. Thread-safe for concurrent calls if the
 * {@link Parallel} is; the weights are never modified.
 */
public final class Transformer {
    private final Weights weights;
    private final ModelShape shape;
    private final Ops ops;
    private Rope rope;

    /** A transformer over {@code weights} that spreads its work over {@code parallel}. */
    public Transformer(Weights weights, Parallel parallel) {
        this.weights = weights;
        this.shape = weights.shape();
        this.ops = new Ops(Kernels.best(), parallel);
        this.rope = new Rope(shape, 64);
    }

    public ModelShape shape() {
        return shape;
    }

    public Weights weights() {
        return weights;
    }

    /** The inner loops in use, for reports: "vector (16 floats)" or "scalar". */
    public String kernels() {
        return ops.kernels().describe();
    }

    Ops ops() {
        return ops;
    }

    /**
     * The final hidden state (after the output norm) at the last position of {@code tokens}: what llama.cpp's
     * {@code embed()} returns with last-token pooling, before it normalises the vector.
     */
    public float[] lastHidden(int[] tokens, @Nullable LoraWeights lora, Numerics numerics) {
        Activations act = forward(tokens, lora, numerics);
        return Arrays.copyOfRange(act.finalOut, (act.tokens - 1) * shape.dim(), act.tokens * shape.dim());
    }

    /** The logits of the next token after {@code tokens}. */
    public float[] nextLogits(int[] tokens, @Nullable LoraWeights lora, Numerics numerics) {
        Activations act = forward(tokens, lora, numerics);
        return logits(act, new int[] {act.tokens - 1});
    }

    /**
     * Greedy decoding: appends the most likely token up to {@code maxNew} times, stopping after a token for which
     * {@code stop} is true (that token is not returned).
     */
    public int[] greedy(int[] prompt, int maxNew, IntPredicate stop, @Nullable LoraWeights lora, Numerics numerics) {
        int[] sequence = prompt.clone();
        int[] generated = new int[maxNew];
        int count = 0;
        while (count < maxNew) {
            int next = argmax(nextLogits(sequence, lora, numerics));
            if (stop.test(next)) {
                break;
            }
            generated[count++] = next;
            sequence = Arrays.copyOf(sequence, sequence.length + 1);
            sequence[sequence.length - 1] = next;
        }
        return Arrays.copyOf(generated, count);
    }

    static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The logits at each of {@code positions}: {@code positions.length × vocab}. */
    float[] logits(Activations act, int[] positions) {
        int dim = shape.dim();
        float[] rows = new float[positions.length * dim];
        for (int i = 0; i < positions.length; i++) {
            System.arraycopy(act.finalOut, positions[i] * dim, rows, i * dim, dim);
        }
        float[] logits = new float[positions.length * shape.vocab()];
        ops.linear(rows, positions.length, dim, weights.output(), shape.vocab(), logits);
        return logits;
    }

    /** The forward pass over {@code tokens}, keeping what the backward pass needs. */
    Activations forward(int[] tokens, @Nullable LoraWeights lora, Numerics numerics) {
        int n = tokens.length;
        if (n == 0) {
            throw new IllegalArgumentException("a sequence needs at least one token");
        }
        int dim = shape.dim();
        Rope positions = rope(n);
        Activations act = new Activations(tokens, shape.layers());
        float[] x = new float[n * dim];
        for (int t = 0; t < n; t++) {
            int token = tokens[t];
            if (token < 0 || token >= shape.vocab()) {
                throw new IllegalArgumentException(
                        "token " + token + " at position " + t + " is outside the" + " vocabulary of " + shape.vocab());
            }
            System.arraycopy(weights.tokenEmbedding(), token * dim, x, t * dim, dim);
        }
        for (int l = 0; l < shape.layers(); l++) {
            x = block(l, act.layers[l], x, n, positions, lora, numerics);
        }
        act.finalIn = x;
        act.finalRms = new float[n];
        act.finalOut = new float[n * dim];
        rmsNorm(x, n, dim, weights.outputNorm(), act.finalOut, act.finalRms);
        return act;
    }

    private float[] block(
            int l,
            Activations.Layer a,
            float[] x,
            int n,
            Rope positions,
            @Nullable LoraWeights lora,
            Numerics numerics) {
        Weights.Layer w = weights.layer(l);
        int dim = shape.dim();
        a.in = x;
        a.xn = new float[n * dim];
        a.rms1 = new float[n];
        rmsNorm(x, n, dim, w.attnNorm(), a.xn, a.rms1);
        a.q = project(a, l, LoraTarget.ATTN_Q, a.xn, n, w.wq(), w.bq(), lora);
        a.k = project(a, l, LoraTarget.ATTN_K, a.xn, n, w.wk(), w.bk(), lora);
        a.v = project(a, l, LoraTarget.ATTN_V, a.xn, n, w.wv(), w.bv(), lora);
        positions.apply(a.q, n, shape.heads(), shape.headDim());
        positions.apply(a.k, n, shape.kvHeads(), shape.headDim());
        a.probs = new float[shape.heads() * n * n];
        a.att = new float[n * dim];
        Attention.forward(shape, ops, a, n, numerics);
        float[] out = project(a, l, LoraTarget.ATTN_OUTPUT, a.att, n, w.wo(), null, lora);
        a.mid = new float[n * dim];
        for (int i = 0; i < a.mid.length; i++) {
            a.mid[i] = x[i] + out[i];
        }
        a.xn2 = new float[n * dim];
        a.rms2 = new float[n];
        rmsNorm(a.mid, n, dim, w.ffnNorm(), a.xn2, a.rms2);
        a.gate = project(a, l, LoraTarget.FFN_GATE, a.xn2, n, w.gate(), null, lora);
        a.up = project(a, l, LoraTarget.FFN_UP, a.xn2, n, w.up(), null, lora);
        a.act = new float[a.gate.length];
        for (int i = 0; i < a.act.length; i++) {
            a.act[i] = silu(a.gate[i]) * a.up[i];
        }
        float[] down = project(a, l, LoraTarget.FFN_DOWN, a.act, n, w.down(), null, lora);
        float[] next = new float[n * dim];
        for (int i = 0; i < next.length; i++) {
            next[i] = a.mid[i] + down[i];
        }
        return next;
    }

    /** {@code x·Wᵀ + bias + scale·(x·Aᵀ)·Bᵀ}, keeping {@code x·Aᵀ} for the backward pass. */
    private float[] project(
            Activations.Layer a,
            int layer,
            LoraTarget target,
            float[] x,
            int n,
            float[] w,
            float @Nullable [] bias,
            @Nullable LoraWeights lora) {
        int in = target.inputs(shape);
        int out = target.outputs(shape);
        float[] y = new float[n * out];
        ops.linear(x, n, in, w, out, y);
        if (lora != null && lora.adapts(target)) {
            int r = lora.rank();
            float[] u = new float[n * r];
            ops.linear(x, n, in, lora.a(layer, target), r, u);
            float[] delta = new float[n * out];
            ops.linear(u, n, r, lora.b(layer, target), out, delta);
            float scale = lora.scale();
            for (int i = 0; i < y.length; i++) {
                y[i] += scale * delta[i];
            }
            a.loraU[target.ordinal()] = u;
        }
        if (bias != null) {
            for (int t = 0; t < n; t++) {
                for (int o = 0; o < out; o++) {
                    y[t * out + o] += bias[o];
                }
            }
        }
        return y;
    }

    /** ggml's RMSNorm: the sum of squares in double, {@code y = (x · 1/sqrt(mean + eps)) · g}. */
    void rmsNorm(float[] x, int n, int dim, float[] gain, float[] y, float[] scales) {
        for (int t = 0; t < n; t++) {
            int o = t * dim;
            double sum = 0;
            for (int i = 0; i < dim; i++) {
                sum += (double) (x[o + i] * x[o + i]);
            }
            float mean = (float) (sum / dim);
            float scale = 1.0f / (float) Math.sqrt(mean + shape.eps());
            scales[t] = scale;
            for (int i = 0; i < dim; i++) {
                y[o + i] = (x[o + i] * scale) * gain[i];
            }
        }
    }

    static float silu(float x) {
        return x / (1.0f + (float) Math.exp(-x));
    }

    private synchronized Rope rope(int positions) {
        if (rope.positions() < positions) {
            rope = new Rope(shape, Math.max(positions, rope.positions() * 2));
        }
        return rope;
    }
}
