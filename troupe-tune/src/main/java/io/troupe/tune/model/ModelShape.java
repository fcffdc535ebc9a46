package io.troupe.tune.model;

import io.troupe.api.ConfigurationException;
import io.troupe.models.llamacpp.gguf.Gguf;
import io.troupe.models.llamacpp.gguf.GgufTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The hyperparameters of a transformer, read from GGUF metadata the way llama.cpp b4916 reads them.
 *
 * @param architecture llama or qwen2
 * @param dim the embedding width ({@code n_embd})
 * @param layers the number of blocks
 * @param heads query heads
 * @param kvHeads key/value heads; query head {@code h} uses key/value head {@code h / (heads / kvHeads)}
 * @param headDim the width of one head: {@code dim / heads}
 * @param hidden the feed-forward width
 * @param vocab the vocabulary size
 * @param ropeDims how many dimensions of each head RoPE rotates ({@code rope.dimension_count}, default {@code headDim})
 * @param ropeBase the RoPE frequency base ({@code rope.freq_base}, default 10000)
 * @param eps the RMSNorm epsilon
 * @param contextLength the context the model was trained for
 * @param tiedOutput whether the output projection is the token embedding (no {@code output.weight})
 */
public record ModelShape(
        Architecture architecture,
        int dim,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        int hidden,
        int vocab,
        int ropeDims,
        float ropeBase,
        float eps,
        int contextLength,
        boolean tiedOutput) {

    public ModelShape {
        List<String> problems = new ArrayList<>();
        if (dim < 1 || layers < 1 || heads < 1 || kvHeads < 1 || hidden < 1 || vocab < 1) {
            problems.add("every size must be positive: dim=" + dim + ", layers=" + layers + ", heads=" + heads
                    + ", kvHeads=" + kvHeads + ", hidden=" + hidden + ", vocab=" + vocab);
        } else {
            if (dim % heads != 0 || headDim != dim / heads) {
                problems.add("dim " + dim + " must be heads (" + heads + ") × headDim (" + headDim + ")");
            }
            if (heads % kvHeads != 0) {
                problems.add("heads (" + heads + ") must be a multiple of kvHeads (" + kvHeads + ")");
            }
            if (ropeDims < 2 || ropeDims > headDim || ropeDims % 2 != 0) {
                problems.add("ropeDims must be even and between 2 and headDim (" + headDim + "), got " + ropeDims);
            }
        }
        if (!(ropeBase > 0) || !(eps > 0)) {
            problems.add("ropeBase and eps must be positive, got " + ropeBase + " and " + eps);
        }
        ConfigurationException.throwIfAny("Invalid model shape", problems);
    }

    /** The width of the key and value projections: {@code kvHeads × headDim}. */
    public int kvDim() {
        return kvHeads * headDim;
    }

    /** The number of parameters. */
    public long parameters() {
        long attention = (long) dim * dim * 2 + 2L * dim * kvDim();
        long ffn = 3L * dim * hidden;
        long perLayer = attention + ffn + 2L * dim + (architecture.qkvBias() ? dim + 2L * kvDim() : 0);
        return (long) vocab * dim * (tiedOutput ? 1 : 2) + layers * perLayer + dim;
    }

    /**
     * The shape of the model in {@code gguf}.
     *
     * @throws ConfigurationException naming every missing key or unsupported feature
     */
    public static ModelShape of(Gguf gguf) {
        List<String> problems = new ArrayList<>();
        String id = gguf.string("general.architecture").orElse("");
        Optional<Architecture> found = Architecture.byId(id);
        if (found.isEmpty()) {
            throw new ConfigurationException(
                    "Cannot train " + gguf.describe(),
                    List.of("its architecture is '" + id + "'; Troupe trains " + Architecture.ids() + " models"));
        }
        Architecture architecture = found.get();
        String a = id + ".";
        int dim = required(gguf, a + "embedding_length", problems);
        int layers = required(gguf, a + "block_count", problems);
        int heads = required(gguf, a + "attention.head_count", problems);
        int hidden = required(gguf, a + "feed_forward_length", problems);
        int kvHeads =
                gguf.integer(a + "attention.head_count_kv").map(Long::intValue).orElse(heads);
        int headDim = heads > 0 ? dim / heads : 0;
        int ropeDims =
                gguf.integer(a + "rope.dimension_count").map(Long::intValue).orElse(headDim);
        float ropeBase =
                gguf.number(a + "rope.freq_base").map(Double::floatValue).orElse(10000f);
        Optional<Double> eps = gguf.number(a + "attention.layer_norm_rms_epsilon");
        if (eps.isEmpty()) {
            problems.add(a + "attention.layer_norm_rms_epsilon is missing");
        }
        int context = gguf.integer(a + "context_length").map(Long::intValue).orElse(2048);
        Optional<String> scaling = gguf.string(a + "rope.scaling.type").filter(t -> !t.equals("none"));
        if (scaling.isPresent()) {
            problems.add(a + "rope.scaling.type is '" + scaling.get() + "'; Troupe trains models without RoPE scaling");
        }
        if (gguf.tensor("rope_freqs.weight").isPresent()) {
            problems.add("the model has rope_freqs.weight (Llama 3.1-style RoPE scaling), which Troupe does not train");
        }
        int vocab = gguf.tensor("token_embd.weight").map(t -> (int) t.extent(1)).orElseGet(() -> {
            problems.add("tensor token_embd.weight is missing");
            return 0;
        });
        boolean tied = gguf.tensor("output.weight").isEmpty();
        ConfigurationException.throwIfAny("Cannot train " + gguf.describe(), problems);
        return new ModelShape(
                architecture,
                dim,
                layers,
                heads,
                kvHeads,
                headDim,
                hidden,
                vocab,
                ropeDims,
                ropeBase,
                eps.orElseThrow().floatValue(),
                context,
                tied);
    }

    /** The expected ggml shape of each weight, for checks: {@code [n_in, n_out]}. */
    static long[] expectedShape(ModelShape shape, String weight) {
        return switch (weight) {
            case "attn_q" -> new long[] {shape.dim, shape.dim};
            case "attn_k", "attn_v" -> new long[] {shape.dim, shape.kvDim()};
            case "attn_output" -> new long[] {shape.dim, shape.dim};
            case "ffn_gate", "ffn_up" -> new long[] {shape.dim, shape.hidden};
            case "ffn_down" -> new long[] {shape.hidden, shape.dim};
            default -> throw new IllegalArgumentException(weight);
        };
    }

    static boolean matches(GgufTensor tensor, long... expected) {
        if (tensor.shape().size() != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (tensor.extent(i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static int required(Gguf gguf, String key, List<String> problems) {
        Optional<Long> value = gguf.integer(key);
        if (value.isEmpty()) {
            problems.add(key + " is missing");
            return 0;
        }
        return value.get().intValue();
    }
}
