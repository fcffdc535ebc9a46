package io.troupe.config;

import io.troupe.api.Checks;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a spec tunes one model beyond where it is served: the resilience layer around it (retries, timeout, circuit
 * breaker, fallbacks), its prices, and its sampling and load settings. Every setting is optional; null means the
 * default of the layer that applies it ({@code ResiliencePolicy.DEFAULT}, the price catalog, {@code
 * LlamaCppSettings.DEFAULTS} or the provider's).
 *
 * @param retries how calls are retried, or null for the default policy
 * @param timeout how long one attempt may take, or null for the default
 * @param breaker when the model's circuit breaker opens, or null for the default
 * @param fallback the models to try, in order, when this one gives up on a retriable failure; names under {@code
 *     models}
 * @param prices what the model charges, or null for the catalog's price (hosted models) or nothing
 * @param sampling sampling and load settings
 * @param rateLimit the provider's rate limit that calls to this model share across a cluster, or null for none
 */
public record ModelOptions(
        @Nullable Retries retries,
        @Nullable Duration timeout,
        @Nullable Breaker breaker,
        List<String> fallback,
        @Nullable Prices prices,
        Sampling sampling,
        @Nullable RateLimit rateLimit) {

    /** No settings: every default applies. */
    public static final ModelOptions DEFAULTS =
            new ModelOptions(null, null, null, List.of(), null, Sampling.DEFAULTS, null);

    public ModelOptions {
        fallback = Checks.list(fallback, "ModelOptions fallback");
        Checks.notNull(sampling, "ModelOptions sampling");
    }

    /**
     * {@code retries: { attempts: 4, backoff: 500ms, max-backoff: 30s }}.
     *
     * @param attempts calls per request on this model, the first included; 1 means no retry
     * @param backoff the wait before the first retry, doubling for each further one; null for the default
     * @param maxBackoff the longest wait between attempts, Retry-After included; null for the default
     */
    public record Retries(
            int attempts,
            @Nullable Duration backoff,
            @Nullable Duration maxBackoff) {
        public Retries {
            if (attempts < 1) {
                throw new IllegalArgumentException("Retries attempts must be at least 1, got " + attempts);
            }
        }
    }

    /**
     * {@code circuit-breaker: { failures: 5, open-for: 30s }}.
     *
     * @param failures consecutive failed calls that open the breaker
     * @param openFor how long an open breaker refuses calls before it lets one trial call through
     */
    public record Breaker(int failures, Duration openFor) {
        public Breaker {
            if (failures < 1) {
                throw new IllegalArgumentException("Breaker failures must be at least 1, got " + failures);
            }
            Checks.notNull(openFor, "Breaker openFor");
        }
    }

    /**
     * {@code prices: { input: 0.15, output: 0.60 }}: US dollars per million tokens.
     *
     * @param input the price of a million prompt tokens
     * @param output the price of a million generated tokens
     */
    public record Prices(BigDecimal input, BigDecimal output) {
        public Prices {
            Checks.notNull(input, "Prices input");
            Checks.notNull(output, "Prices output");
            if (input.signum() < 0 || output.signum() < 0) {
                throw new IllegalArgumentException("Prices must not be negative, got " + input + " / " + output);
            }
        }
    }

    /**
     * {@code rate-limit: { requests-per-minute: 500, tokens-per-minute: 200000, name: openai }}: a limit that every
     * node of a cluster holds together, shared by the models that name the same limit.
     *
     * @param name the limit's name, or null for the provider's name (so that all models of a provider share it)
     * @param requestsPerMinute calls a minute, or 0 for no limit on calls
     * @param tokensPerMinute tokens a minute (prompt and answer), or 0 for no limit on tokens
     */
    public record RateLimit(@Nullable String name, int requestsPerMinute, long tokensPerMinute) {
        public RateLimit {
            if (requestsPerMinute < 0 || tokensPerMinute < 0 || (requestsPerMinute == 0 && tokensPerMinute == 0)) {
                throw new IllegalArgumentException("RateLimit needs a positive requestsPerMinute or tokensPerMinute,"
                        + " got " + requestsPerMinute + " and " + tokensPerMinute);
            }
        }
    }

    /**
     * Sampling and load settings; null means the provider's or llama.cpp's default. {@code contextSize}, {@code
     * threads} and {@code seed} apply to llama.cpp models only.
     *
     * @param temperature 0 for greedy output; up to 2
     * @param maxTokens the most tokens one answer may have
     * @param contextSize llama.cpp's context window in tokens, prompt plus answer
     * @param threads llama.cpp's CPU threads
     * @param seed llama.cpp's sampling seed
     */
    public record Sampling(
            @Nullable Double temperature,
            @Nullable Integer maxTokens,
            @Nullable Integer contextSize,
            @Nullable Integer threads,
            @Nullable Integer seed) {
        /** Every default. */
        public static final Sampling DEFAULTS = new Sampling(null, null, null, null, null);
    }
}
