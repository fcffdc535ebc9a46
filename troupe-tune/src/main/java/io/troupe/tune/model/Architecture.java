package io.troupe.tune.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The transformer architectures Troupe can run and train in Java, as llama.cpp b4916 defines them.
 *
 * <p>Both use RMSNorm, SwiGLU feed-forward layers and grouped-query attention. They differ where it matters for
 * matching llama.cpp: {@code llama} rotates adjacent pairs {@code (2i, 2i+1)} of each head with RoPE ("normal" RoPE),
 * while {@code qwen2} rotates pairs {@code (i, i + n_rot/2)} ("NeoX" RoPE) and adds biases to the q, k and v
 * projections.
 */
public enum Architecture {
    /** Llama, TinyLlama, SmolLM2 and llama2.c models such as stories260K. */
    LLAMA("llama", false, false),
    /** Qwen2 and Qwen2.5 models. */
    QWEN2("qwen2", true, true);

    private final String id;
    private final boolean neoxRope;
    private final boolean qkvBias;

    Architecture(String id, boolean neoxRope, boolean qkvBias) {
        this.id = id;
        this.neoxRope = neoxRope;
        this.qkvBias = qkvBias;
    }

    /** The name in {@code general.architecture}. */
    public String id() {
        return id;
    }

    /** Whether RoPE rotates pairs {@code (i, i + n_rot/2)} rather than adjacent pairs. */
    public boolean neoxRope() {
        return neoxRope;
    }

    /** Whether the q, k and v projections have biases. */
    public boolean qkvBias() {
        return qkvBias;
    }

    /** The architecture called {@code id} in GGUF metadata, if supported. */
    public static Optional<Architecture> byId(String id) {
        return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst();
    }

    /** Every supported name, for messages. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(Architecture::id).toList();
    }
}
