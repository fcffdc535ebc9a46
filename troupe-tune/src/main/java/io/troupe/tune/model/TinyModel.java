package io.troupe.tune.model;

import io.troupe.api.ConfigurationException;
import io.troupe.models.llamacpp.gguf.GgmlType;
import io.troupe.models.llamacpp.gguf.Gguf;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small transformer with random weights, written as a GGUF file that llama.cpp loads: for tests and benchmarks
 * that must not download a model.
 *
 * <p>Weights are drawn so that activations keep unit scale (each linear weight uniform in {@code ±sqrt(3/n_in)}), and
 * the output projection like the embedding (uniform in ±1), which gives a random model with sharp, varied next-token
 * choices rather than a flat distribution, and logits that an adapter can move to near certainty. {@code qwen2}
 * models get q/k/v biases and share the output projection with the token embedding, as Qwen2.5-0.5B does.
 *
 * @param architecture llama or qwen2
 * @param dim the embedding width
 * @param layers the number of blocks
 * @param heads query heads
 * @param kvHeads key/value heads (a divisor of {@code heads})
 * @param hidden the feed-forward width
 * @param weightType F32 or F16 for the large weights (norms and biases stay F32, as in llama.cpp's conversions)
 * @param seed the random seed: the same spec gives the same bytes
 */
public record TinyModel(
        Architecture architecture,
        int dim,
        int layers,
        int heads,
        int kvHeads,
        int hidden,
        GgmlType weightType,
        long seed) {

    public TinyModel {
        List<String> problems = new ArrayList<>();
        if (dim < 1 || layers < 1 || heads < 1 || kvHeads < 1 || hidden < 1) {
            problems.add("sizes must be positive");
        } else if (dim % heads != 0 || heads % kvHeads != 0 || (dim / heads) % 2 != 0) {
            problems.add("dim (" + dim + ") must be a multiple of heads (" + heads + ") with an even head width, and"
                    + " heads a multiple of kvHeads (" + kvHeads + ")");
        }
        if (weightType != GgmlType.F32 && weightType != GgmlType.F16) {
            problems.add("weightType must be F32 or F16, got " + weightType);
        }
        ConfigurationException.throwIfAny("Invalid TinyModel", problems);
    }

    /** A llama like stories260K (dim 64, 5 blocks, 8 heads over 4 key/value heads), in F32. */
    public static TinyModel llama(long seed) {
        return new TinyModel(Architecture.LLAMA, 64, 5, 8, 4, 172, GgmlType.F32, seed);
    }

    /** A qwen2 with biases and a tied output (dim 64, 2 blocks, 4 heads over 2 key/value heads), in F32. */
    public static TinyModel qwen2(long seed) {
        return new TinyModel(Architecture.QWEN2, 64, 2, 4, 2, 160, GgmlType.F32, seed);
    }

    /** About 20 million parameters: dim 512, 6 blocks, 8 heads over 4, feed-forward 1376; for benchmarks. */
    public static TinyModel llama20M(long seed) {
        return new TinyModel(Architecture.LLAMA, 512, 6, 8, 4, 1376, GgmlType.F32, seed);
    }

    public TinyModel withWeightType(GgmlType weightType) {
        return new TinyModel(architecture, dim, layers, heads, kvHeads, hidden, weightType, seed);
    }

    /** The model as a GGUF file with the vocabulary and chat template of {@code tokenizer}. */
    public Gguf build(TinyTokenizer tokenizer) {
        String a = architecture.id() + ".";
        Gguf.Builder gguf = Gguf.builder()
                .put("general.architecture", architecture.id())
                .put("general.name", "troupe-tiny-" + architecture.id())
                .putUint32("general.file_type", weightType == GgmlType.F16 ? 1 : 0)
                .putUint32(a + "context_length", 2048)
                .putUint32(a + "embedding_length", dim)
                .putUint32(a + "feed_forward_length", hidden)
                .putUint32(a + "block_count", layers)
                .putUint32(a + "attention.head_count", heads)
                .putUint32(a + "attention.head_count_kv", kvHeads)
                .putUint32(a + "rope.dimension_count", dim / heads)
                .putFloat32(a + "rope.freq_base", architecture == Architecture.QWEN2 ? 1_000_000f : 10_000f)
                .putFloat32(a + "attention.layer_norm_rms_epsilon", architecture == Architecture.QWEN2 ? 1e-6f : 1e-5f);
        tokenizer.metadata().forEach(gguf::put);
        int vocab = tokenizer.size();
        int kvDim = kvHeads * (dim / heads);
        Random random = new Random(seed);
        gguf.tensor("token_embd.weight", uniform(random, vocab * dim, 1.0f), dim, vocab);
        gguf.tensor("output_norm.weight", norm(random, dim), dim);
        if (architecture == Architecture.LLAMA) {
            // As large as the embedding (and as a tied output): sharp logits that an adapter can move to certainty.
            float[] output = uniform(random, vocab * dim, 1.0f);
            if (weightType == GgmlType.F16) {
                gguf.tensorF16("output.weight", output, dim, vocab);
            } else {
                gguf.tensor("output.weight", output, dim, vocab);
            }
        }
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            gguf.tensor(p + "attn_norm.weight", norm(random, dim), dim);
            weight(gguf, p + "attn_q.weight", random, dim, dim);
            weight(gguf, p + "attn_k.weight", random, dim, kvDim);
            weight(gguf, p + "attn_v.weight", random, dim, kvDim);
            if (architecture.qkvBias()) {
                gguf.tensor(p + "attn_q.bias", uniform(random, dim, 0.5f), dim);
                gguf.tensor(p + "attn_k.bias", uniform(random, kvDim, 0.5f), kvDim);
                gguf.tensor(p + "attn_v.bias", uniform(random, kvDim, 0.5f), kvDim);
            }
            weight(gguf, p + "attn_output.weight", random, dim, dim);
            gguf.tensor(p + "ffn_norm.weight", norm(random, dim), dim);
            weight(gguf, p + "ffn_gate.weight", random, dim, hidden);
            weight(gguf, p + "ffn_up.weight", random, dim, hidden);
            weight(gguf, p + "ffn_down.weight", random, hidden, dim);
        }
        return gguf.build();
    }

    private void weight(Gguf.Builder gguf, String name, Random random, int in, int out) {
        float[] values = uniform(random, in * out, (float) Math.sqrt(3.0 / in));
        if (weightType == GgmlType.F16) {
            gguf.tensorF16(name, values, in, out);
        } else {
            gguf.tensor(name, values, in, out);
        }
    }

    private static float[] uniform(Random random, int n, float bound) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (random.nextFloat() * 2 - 1) * bound;
        }
        return values;
    }

    private static float[] norm(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = 1f + (random.nextFloat() - 0.5f) * 0.2f;
        }
        return values;
    }
}
