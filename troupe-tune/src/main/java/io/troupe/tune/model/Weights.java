package io.troupe.tune.model;

import io.troupe.api.ConfigurationException;
import io.troupe.models.llamacpp.gguf.Gguf;
import io.troupe.models.llamacpp.gguf.GgufException;
import io.troupe.models.llamacpp.gguf.GgufTensor;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The weights of a transformer, as floats in ggml's layout: a weight with {@code n_in} inputs and {@code n_out} outputs
 * is {@code n_out} rows of {@code n_in}. Read-only once loaded; the arrays are shared, not copied.
 */
public final class Weights {
    private final ModelShape shape;
    private final float[] tokenEmbedding;
    private final float[] outputNorm;
    private final float[] output;
    private final List<Layer> layers;

    /** One block's weights; the biases are null for architectures without them. */
    public record Layer(
            float[] attnNorm,
            float[] wq,
            float[] wk,
            float[] wv,
            float @Nullable [] bq,
            float @Nullable [] bk,
            float @Nullable [] bv,
            float[] wo,
            float[] ffnNorm,
            float[] gate,
            float[] up,
            float[] down) {

        /** The weight of {@code target}. */
        public float[] weight(LoraTarget target) {
            return switch (target) {
                case ATTN_Q -> wq;
                case ATTN_K -> wk;
                case ATTN_V -> wv;
                case ATTN_OUTPUT -> wo;
                case FFN_GATE -> gate;
                case FFN_UP -> up;
                case FFN_DOWN -> down;
            };
        }
    }

    Weights(ModelShape shape, float[] tokenEmbedding, float[] outputNorm, float[] output, List<Layer> layers) {
        this.shape = shape;
        this.tokenEmbedding = tokenEmbedding;
        this.outputNorm = outputNorm;
        this.output = output;
        this.layers = List.copyOf(layers);
    }

    /**
     * Reads every weight of the model in {@code gguf} into memory (F32, F16, BF16 and Q8_0 weights; others are
     * refused), checking each tensor's shape.
     *
     * @throws ConfigurationException if a tensor is missing, has the wrong shape or an unsupported type
     */
    public static Weights load(Gguf gguf) {
        ModelShape shape = ModelShape.of(gguf);
        List<String> problems = new ArrayList<>();
        Reader reader = new Reader(gguf, problems);
        float[] embedding = reader.read("token_embd.weight", shape.dim(), shape.vocab());
        float[] norm = reader.read("output_norm.weight", shape.dim());
        float[] output = shape.tiedOutput() ? embedding : reader.read("output.weight", shape.dim(), shape.vocab());
        List<Layer> layers = new ArrayList<>();
        boolean bias = shape.architecture().qkvBias();
        for (int l = 0; l < shape.layers(); l++) {
            String p = "blk." + l + ".";
            layers.add(new Layer(
                    reader.read(p + "attn_norm.weight", shape.dim()),
                    reader.read(p + "attn_q.weight", ModelShape.expectedShape(shape, "attn_q")),
                    reader.read(p + "attn_k.weight", ModelShape.expectedShape(shape, "attn_k")),
                    reader.read(p + "attn_v.weight", ModelShape.expectedShape(shape, "attn_v")),
                    bias ? reader.read(p + "attn_q.bias", shape.dim()) : null,
                    bias ? reader.read(p + "attn_k.bias", shape.kvDim()) : null,
                    bias ? reader.read(p + "attn_v.bias", shape.kvDim()) : null,
                    reader.read(p + "attn_output.weight", ModelShape.expectedShape(shape, "attn_output")),
                    reader.read(p + "ffn_norm.weight", shape.dim()),
                    reader.read(p + "ffn_gate.weight", ModelShape.expectedShape(shape, "ffn_gate")),
                    reader.read(p + "ffn_up.weight", ModelShape.expectedShape(shape, "ffn_up")),
                    reader.read(p + "ffn_down.weight", ModelShape.expectedShape(shape, "ffn_down"))));
        }
        if (!reader.unsupported.isEmpty()) {
            problems.add(reader.unsupportedCount + " weights are of types " + reader.unsupported + ", which Troupe"
                    + " cannot read into Java: it trains F32, F16, BF16 and Q8_0 weights. Use an F16 or Q8_0"
                    + " conversion of the model (llama.cpp's convert_hf_to_gguf.py --outtype f16 or q8_0).");
        }
        ConfigurationException.throwIfAny("Cannot load the weights of " + gguf.describe(), problems);
        return new Weights(shape, embedding, norm, output, layers);
    }

    public ModelShape shape() {
        return shape;
    }

    float[] tokenEmbedding() {
        return tokenEmbedding;
    }

    float[] outputNorm() {
        return outputNorm;
    }

    float[] output() {
        return output;
    }

    /**
     * How many other tokens have (almost) the same output row as {@code token}: every element within 0.1% of the
     * row's largest. A token that shares its row (an untrained row of a small model, such as stories260K's
     * end-of-sequence token, which shares it with 168 others) always gets about the same logit as its twins, so its
     * probability stays below {@code 1 / (1 + twins)}: an adapter cannot teach the model to write it with confidence.
     */
    public int outputTwins(int token) {
        int dim = shape.dim();
        float largest = 0;
        for (int i = 0; i < dim; i++) {
            largest = Math.max(largest, Math.abs(output[token * dim + i]));
        }
        float tolerance = largest * 1e-3f;
        int twins = 0;
        for (int other = 0; other < shape.vocab(); other++) {
            if (other == token) {
                continue;
            }
            boolean same = true;
            for (int i = 0; i < dim && same; i++) {
                same = Math.abs(output[other * dim + i] - output[token * dim + i]) <= tolerance;
            }
            twins += same ? 1 : 0;
        }
        return twins;
    }

    /** Block {@code l}'s weights. */
    public Layer layer(int l) {
        return layers.get(l);
    }

    /** Reads tensors, collecting problems instead of stopping at the first. */
    private static final class Reader {
        private final Gguf gguf;
        private final List<String> problems;
        private final java.util.Set<String> unsupported = new java.util.TreeSet<>();
        private int unsupportedCount;

        Reader(Gguf gguf, List<String> problems) {
            this.gguf = gguf;
            this.problems = problems;
        }

        float[] read(String name, long... shape) {
            GgufTensor tensor = gguf.tensor(name).orElse(null);
            if (tensor == null) {
                problems.add("tensor " + name + " is missing");
                return new float[0];
            }
            if (!ModelShape.matches(tensor, shape)) {
                problems.add("tensor " + name + " has shape " + tensor.describeShape() + ", expected "
                        + java.util.Arrays.toString(shape));
                return new float[0];
            }
            if (!tensor.type().dequantisable()) {
                unsupported.add(tensor.type().name());
                unsupportedCount++;
                return new float[0];
            }
            try {
                return gguf.floats(name);
            } catch (GgufException e) {
                problems.add(e.getMessage());
                return new float[0];
            }
        }
    }
}
