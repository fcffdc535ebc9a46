package io.troupe.tune.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A weight of each block that a LoRA adapter can adapt, named as in GGUF ({@code blk.N.attn_q.weight}). */
public enum LoraTarget {
    ATTN_Q("attn_q"),
    ATTN_K("attn_k"),
    ATTN_V("attn_v"),
    ATTN_OUTPUT("attn_output"),
    FFN_GATE("ffn_gate"),
    FFN_UP("ffn_up"),
    FFN_DOWN("ffn_down");

    private final String id;

    LoraTarget(String id) {
        this.id = id;
    }

    /** The name in tensor names and in specs: {@code attn_q}. */
    public String id() {
        return id;
    }

    /** The GGUF name of this weight in block {@code layer}. */
    public String tensorName(int layer) {
        return "blk." + layer + "." + id + ".weight";
    }

    /** Inputs of this weight in a model of {@code shape}. */
    public int inputs(ModelShape shape) {
        return this == FFN_DOWN ? shape.hidden() : shape.dim();
    }

    /** Outputs of this weight in a model of {@code shape}. */
    public int outputs(ModelShape shape) {
        return switch (this) {
            case ATTN_Q, ATTN_OUTPUT, FFN_DOWN -> shape.dim();
            case ATTN_K, ATTN_V -> shape.kvDim();
            case FFN_GATE, FFN_UP -> shape.hidden();
        };
    }

    /** The target called {@code id}, if any. */
    public static Optional<LoraTarget> byId(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
    }

    /** Every target name, for messages. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(LoraTarget::id).toList();
    }
}
