package de.kherud.llama;

import java.nio.file.Path;

/**
 * Loads a model for embeddings with last-token pooling, for the parity test only. llama.cpp b4916 reads no pooling
 * type from a llama or qwen2 GGUF file, and {@code ModelParameters.setPoolingType} passes a number where llama.cpp
 * expects a name (which crashes the JVM), so this sets {@code --pooling last} directly; it lives in the binding's
 * package because the parameter map is package-private.
 */
public final class LastTokenEmbeddings {
    private LastTokenEmbeddings() {}

    /** A model that answers {@code embed()} with the L2-normalised final hidden state of the last token. */
    public static LlamaModel load(Path file) {
        ModelParameters parameters = new ModelParameters()
                .setModel(file.toString())
                .setThreads(1)
                .setCtxSize(512)
                .setParallel(1)
                .enableEmbedding()
                .disableLog();
        parameters.parameters.put("--pooling", "last");
        return new LlamaModel(parameters);
    }
}
