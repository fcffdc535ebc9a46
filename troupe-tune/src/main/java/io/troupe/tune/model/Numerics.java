package io.troupe.tune.model;

/** How the Java forward pass rounds inside attention. */
public enum Numerics {
    /** Everything in float: what training differentiates. */
    FLOAT32,
    /**
     * Like llama.cpp with its default F16 key/value cache: keys, values, queries and attention weights are rounded to
     * half precision before their products, so that hidden states match llama.cpp's to about 1e-6.
     */
    LLAMA_CPP
}
