package io.troupe.tune.model;

import org.jspecify.annotations.Nullable;

/**
 * The training step of a LoRA adapter on one sequence: the forward pass, the next-token cross-entropy at the chosen
 * positions, and the gradients of the adapter's matrices by backpropagation through every block. The base weights
 * are frozen, so only activations' gradients flow through them.
 */
public final class Backprop {
    private final Transformer model;
    private final ModelShape shape;
    private final Ops ops;

    public Backprop(Transformer model) {
        this.model = model;
        this.shape = model.shape();
        this.ops = model.ops();
    }

    /**
     * The loss of one sequence and its gradients.
     *
     * @param lossSum the sum of {@code -log p(token)} over the trained tokens
     * @param trainedTokens how many tokens were trained
     */
    public record Loss(double lossSum, int trainedTokens) {}

    /**
     * Computes the loss of predicting each token {@code i} with {@code trained[i]} from the tokens before it, and
     * adds {@code weight × ∂loss/∂θ} to {@code gradients}.
     *
     * @param tokens the sequence, BOS included if the model uses one
     * @param trained which tokens are targets (the assistant's turns); {@code trained[0]} is ignored
     * @param weight the factor on this sequence's gradients, usually 1 / (trained tokens in the batch)
     */
    public Loss accumulate(int[] tokens, boolean[] trained, LoraWeights lora, LoraWeights gradients, float weight) {
        Targets targets = Targets.of(tokens, trained);
        if (targets.count() == 0) {
            return new Loss(0, 0);
        }
        Activations act = model.forward(tokens, lora, Numerics.FLOAT32);
        float[] logits = model.logits(act, targets.positions());
        double lossSum = crossEntropy(logits, targets.tokens(), weight, true);
        backward(act, targets.positions(), logits, lora, gradients);
        return new Loss(lossSum, targets.count());
    }

    /** The loss of one sequence without gradients: for evaluation sets. */
    public Loss loss(int[] tokens, boolean[] trained, @Nullable LoraWeights lora) {
        Targets targets = Targets.of(tokens, trained);
        if (targets.count() == 0) {
            return new Loss(0, 0);
        }
        Activations act = model.forward(tokens, lora, Numerics.FLOAT32);
        float[] logits = model.logits(act, targets.positions());
        return new Loss(crossEntropy(logits, targets.tokens(), 0, false), targets.count());
    }

    /**
     * The trained tokens of a sequence: each one's token, and the position whose logits predict it (the one before).
     */
    private record Targets(int[] positions, int[] tokens) {
        static Targets of(int[] sequence, boolean[] trained) {
            if (trained.length != sequence.length) {
                throw new IllegalArgumentException(
                        "trained has " + trained.length + " flags for " + sequence.length + " tokens");
            }
            int count = 0;
            for (int i = 1; i < sequence.length; i++) {
                count += trained[i] ? 1 : 0;
            }
            int[] positions = new int[count];
            int[] tokens = new int[count];
            for (int i = 1, m = 0; i < sequence.length; i++) {
                if (trained[i]) {
                    positions[m] = i - 1;
                    tokens[m++] = sequence[i];
                }
            }
            return new Targets(positions, tokens);
        }

        int count() {
            return tokens.length;
        }
    }

    /**
     * The summed cross-entropy of each row of {@code logits} (one per target) against its target token; with {@code
     * gradient}, each row is replaced by {@code weight × ∂loss/∂logits} (the softmax minus the one-hot target).
     */
    private double crossEntropy(float[] logits, int[] targets, float weight, boolean gradient) {
        int vocab = shape.vocab();
        double lossSum = 0;
        for (int m = 0; m < targets.length; m++) {
            int o = m * vocab;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < vocab; j++) {
                max = Math.max(max, logits[o + j]);
            }
            double sum = 0;
            for (int j = 0; j < vocab; j++) {
                sum += Math.exp(logits[o + j] - max);
            }
            lossSum += Math.log(sum) + max - logits[o + targets[m]];
            if (gradient) {
                float inverse = (float) (1.0 / sum);
                for (int j = 0; j < vocab; j++) {
                    logits[o + j] = (float) Math.exp(logits[o + j] - max) * inverse * weight;
                }
                logits[o + targets[m]] -= weight;
            }
        }
        return lossSum;
    }

    private void backward(Activations act, int[] positions, float[] dLogits, LoraWeights lora, LoraWeights grads) {
        int n = act.tokens;
        int dim = shape.dim();
        float[] dRows = new float[positions.length * dim];
        ops.linearBackward(
                dLogits, positions.length, shape.vocab(), model.weights().output(), dim, dRows);
        float[] dOut = new float[n * dim];
        for (int m = 0; m < positions.length; m++) {
            for (int i = 0; i < dim; i++) {
                dOut[positions[m] * dim + i] += dRows[m * dim + i];
            }
        }
        float[] dx = new float[n * dim];
        rmsNormBackward(act.finalIn, act.finalRms, model.weights().outputNorm(), dOut, dx, n);
        Rope rope = new Rope(shape, n);
        for (int l = shape.layers() - 1; l >= 0; l--) {
            dx = block(l, act.layers[l], dx, n, rope, lora, grads);
        }
    }

    /** Given the gradient of block {@code l}'s output, returns the gradient of its input (null-free). */
    private float[] block(
            int l, Activations.Layer a, float[] dNext, int n, Rope rope, LoraWeights lora, LoraWeights grads) {
        Weights.Layer w = model.weights().layer(l);
        int dim = shape.dim();
        // Feed-forward: next = mid + down(silu(gate) * up).
        float[] dAct = through(l, LoraTarget.FFN_DOWN, dNext, a.act, a, n, w.down(), lora, grads, true);
        float[] dGate = new float[dAct.length];
        float[] dUp = new float[dAct.length];
        for (int i = 0; i < dAct.length; i++) {
            float g = a.gate[i];
            float sigmoid = 1.0f / (1.0f + (float) Math.exp(-g));
            dUp[i] = dAct[i] * g * sigmoid;
            dGate[i] = dAct[i] * a.up[i] * sigmoid * (1 + g * (1 - sigmoid));
        }
        float[] dXn2 = through(l, LoraTarget.FFN_GATE, dGate, a.xn2, a, n, w.gate(), lora, grads, true);
        add(dXn2, through(l, LoraTarget.FFN_UP, dUp, a.xn2, a, n, w.up(), lora, grads, true));
        float[] dMid = dNext.clone();
        rmsNormBackward(a.mid, a.rms2, w.ffnNorm(), dXn2, dMid, n);
        // Attention: mid = in + output(attention(rope(q), rope(k), v)).
        float[] dAtt = through(l, LoraTarget.ATTN_OUTPUT, dMid, a.att, a, n, w.wo(), lora, grads, true);
        float[] dq = new float[n * dim];
        float[] dk = new float[n * shape.kvDim()];
        float[] dv = new float[n * shape.kvDim()];
        Attention.backward(shape, ops, a, n, dAtt, dq, dk, dv);
        rope.applyInverse(dq, n, shape.heads(), shape.headDim());
        rope.applyInverse(dk, n, shape.kvHeads(), shape.headDim());
        // Below the first block nothing is trained: skip the gradient of its input.
        boolean needInput = l > 0;
        float[] dXn = through(l, LoraTarget.ATTN_Q, dq, a.xn, a, n, w.wq(), lora, grads, needInput);
        float[] dXnK = through(l, LoraTarget.ATTN_K, dk, a.xn, a, n, w.wk(), lora, grads, needInput);
        float[] dXnV = through(l, LoraTarget.ATTN_V, dv, a.xn, a, n, w.wv(), lora, grads, needInput);
        if (!needInput) {
            return dMid;
        }
        add(dXn, dXnK);
        add(dXn, dXnV);
        float[] dIn = dMid;
        rmsNormBackward(a.in, a.rms1, w.attnNorm(), dXn, dIn, n);
        return dIn;
    }

    /**
     * Backpropagates {@code dy} through {@code y = x·Wᵀ + scale·(x·Aᵀ)·Bᵀ}: adds the adapter's gradients for this
     * weight and returns {@code dx} (all zeros, uncomputed, when {@code needInput} is false).
     */
    private float[] through(
            int layer,
            LoraTarget target,
            float[] dy,
            float[] x,
            Activations.Layer a,
            int n,
            float[] w,
            LoraWeights lora,
            LoraWeights grads,
            boolean needInput) {
        int in = target.inputs(shape);
        int out = target.outputs(shape);
        float[] dx = new float[n * in];
        if (needInput) {
            ops.linearBackward(dy, n, out, w, in, dx);
        }
        float @Nullable [] u = a.loraU[target.ordinal()];
        if (lora.adapts(target) && u != null) {
            int r = lora.rank();
            float scale = lora.scale();
            float[] dys = new float[dy.length];
            for (int i = 0; i < dy.length; i++) {
                dys[i] = dy[i] * scale;
            }
            ops.weightGradient(dys, n, out, u, r, grads.b(layer, target));
            float[] du = new float[n * r];
            ops.linearBackward(dys, n, out, lora.b(layer, target), r, du);
            ops.weightGradient(du, n, r, x, in, grads.a(layer, target));
            if (needInput) {
                ops.linearBackward(du, n, r, lora.a(layer, target), in, dx);
            }
        }
        return dx;
    }

    /** Adds to {@code dx} the gradient of {@code y = (x · r) · g} with {@code r = 1/sqrt(mean(x²) + eps)}. */
    private void rmsNormBackward(float[] x, float[] scales, float[] gain, float[] dy, float[] dx, int n) {
        int dim = shape.dim();
        for (int t = 0; t < n; t++) {
            int o = t * dim;
            float r = scales[t];
            double dot = 0;
            for (int i = 0; i < dim; i++) {
                dot += (double) dy[o + i] * gain[i] * x[o + i];
            }
            float c = (float) (dot * r * r * r / dim);
            for (int i = 0; i < dim; i++) {
                dx[o + i] += r * gain[i] * dy[o + i] - x[o + i] * c;
            }
        }
    }

    private static void add(float[] into, float[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }
}
