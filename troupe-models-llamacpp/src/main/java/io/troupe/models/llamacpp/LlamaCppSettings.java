package io.troupe.models.llamacpp;

import io.troupe.api.ConfigurationException;
import java.util.ArrayList;
import java.util.List;

/**
 * How a local model is loaded and how it generates.
 *
 * <p>Load-time settings ({@code threads}, {@code contextSize}, {@code queueCapacity}, {@code embeddings}) belong to
 * the loaded file: every handle on the same file in a {@link LlamaCppModels} pool must use the same values, because a
 * second load would leak native memory. The others apply per handle, so two handles on one file may sample
 * differently.
 *
 * @param threads CPU threads for llama.cpp; 1 is fastest for tiny models
 * @param contextSize the context window in tokens, prompt plus answer
 * @param maxTokens the most tokens one call may generate
 * @param temperature 0 for greedy, deterministic output; higher samples more freely
 * @param seed the sampling seed, which makes sampling at a temperature above 0 repeatable
 * @param stopStrings generation stops before any of these strings; not applied to grammar-constrained (JSON) output
 * @param queueCapacity how many calls may wait for the model; more are refused with a retriable error (backpressure)
 * @param embeddings whether the model is loaded with embedding support, which {@link LlamaCppModel#embed} needs
 */
public record LlamaCppSettings(
        int threads,
        int contextSize,
        int maxTokens,
        float temperature,
        int seed,
        List<String> stopStrings,
        int queueCapacity,
        boolean embeddings) {

    /**
     * One thread, a 2048-token context, 256 new tokens, temperature 0, seed 42, 4,096 queued calls, no embeddings. The
     * queue is deep because a queued call holds only its request, and a server admits thousands of runs (10,000 in
     * flight by default) that share one model: with 64, a burst of 100 runs had a third refused, and the refusals
     * opened the model's circuit breaker for every other run.
     */
    public static final LlamaCppSettings DEFAULTS = new LlamaCppSettings(1, 2048, 256, 0f, 42, List.of(), 4096, false);

    /** Checks every field and reports all problems at once. */
    public LlamaCppSettings {
        List<String> problems = new ArrayList<>();
        if (threads < 1) {
            problems.add("threads must be at least 1, got " + threads);
        }
        if (contextSize < 16) {
            problems.add("contextSize must be at least 16 tokens, got " + contextSize);
        }
        if (maxTokens < 1) {
            problems.add("maxTokens must be at least 1, got " + maxTokens);
        }
        if (!(temperature >= 0f) || Float.isInfinite(temperature)) {
            problems.add("temperature must be a finite number >= 0, got " + temperature);
        }
        if (queueCapacity < 1) {
            problems.add("queueCapacity must be at least 1, got " + queueCapacity);
        }
        if (stopStrings == null) {
            problems.add("stopStrings must not be null; use List.of() for none");
        } else {
            for (String stop : stopStrings) {
                if (stop == null || stop.isEmpty()) {
                    problems.add("stopStrings must not contain null or empty strings, got " + stopStrings);
                    break;
                }
            }
        }
        ConfigurationException.throwIfAny("Invalid LlamaCppSettings", problems);
        stopStrings = List.copyOf(stopStrings);
    }

    public LlamaCppSettings withThreads(int threads) {
        return new LlamaCppSettings(
                threads, contextSize, maxTokens, temperature, seed, stopStrings, queueCapacity, embeddings);
    }

    public LlamaCppSettings withContextSize(int contextSize) {
        return new LlamaCppSettings(
                threads, contextSize, maxTokens, temperature, seed, stopStrings, queueCapacity, embeddings);
    }

    public LlamaCppSettings withMaxTokens(int maxTokens) {
        return new LlamaCppSettings(
                threads, contextSize, maxTokens, temperature, seed, stopStrings, queueCapacity, embeddings);
    }

    public LlamaCppSettings withTemperature(float temperature) {
        return new LlamaCppSettings(
                threads, contextSize, maxTokens, temperature, seed, stopStrings, queueCapacity, embeddings);
    }

    public LlamaCppSettings withSeed(int seed) {
        return new LlamaCppSettings(
                threads, contextSize, maxTokens, temperature, seed, stopStrings, queueCapacity, embeddings);
    }

    public LlamaCppSettings withStopStrings(List<String> stopStrings) {
        return new LlamaCppSettings(
                threads, contextSize, maxTokens, temperature, seed, stopStrings, queueCapacity, embeddings);
    }

    public LlamaCppSettings withQueueCapacity(int queueCapacity) {
        return new LlamaCppSettings(
                threads, contextSize, maxTokens, temperature, seed, stopStrings, queueCapacity, embeddings);
    }

    public LlamaCppSettings withEmbeddings(boolean embeddings) {
        return new LlamaCppSettings(
                threads, contextSize, maxTokens, temperature, seed, stopStrings, queueCapacity, embeddings);
    }

    /** Whether {@code other} loads the file the same way, so both can share one loaded model. */
    boolean sameLoadAs(LlamaCppSettings other) {
        return threads == other.threads
                && contextSize == other.contextSize
                && queueCapacity == other.queueCapacity
                && embeddings == other.embeddings;
    }

    String loadDescription() {
        return "threads=" + threads + ", contextSize=" + contextSize + ", queueCapacity=" + queueCapacity
                + ", embeddings=" + embeddings;
    }
}
