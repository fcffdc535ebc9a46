/**
 * GGUF transformers of the {@code llama} and {@code qwen2} architectures in pure Java: their shape, their weights, a
 * forward pass that matches llama.cpp, and its backward pass for LoRA training; plus a generator of small random models
 * for tests and benchmarks.
 */
@NullMarked
package io.troupe.tune.model;

import org.jspecify.annotations.NullMarked;
