/**
 * In-process GGUF models through llama.cpp ({@code de.kherud:llama}), and the {@link
 * io.troupe.models.llamacpp.ModelManager} that finds, downloads and verifies model files.
 *
 * <p>Start with {@link io.troupe.models.llamacpp.LlamaCppModels}: one pool per JVM loads each file once and hands out
 * {@link io.troupe.models.llamacpp.LlamaCppModel} handles that implement Troupe's {@code LanguageModel} and {@code
 * EmbeddingModel}.
 *
 * <p>The native library starts a non-daemon thread that keeps the JVM alive: a command-line program that used a
 * local model must end with {@code System.exit}.
 */
@NullMarked
package io.troupe.models.llamacpp;

import org.jspecify.annotations.NullMarked;
