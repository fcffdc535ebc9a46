package io.troupe.runtime.resilience;

import io.troupe.api.ModelException;
import java.time.Duration;

/**
 * Hears what a {@link ResilientModel} does about failures, for logs, metrics and the journal. Every method has an
 * empty default; implementations must be fast and thread-safe.
 */
public interface ResilienceListener {
    /** No-op. */
    ResilienceListener NONE = new ResilienceListener() {};

    /** Attempt {@code attempt} on {@code model} failed with a retriable error; the next starts after {@code delay}. */
    default void onRetry(String model, int attempt, Duration delay, ModelException error) {}

    /** {@code from} gave up (or its breaker is open), so {@code to} is tried next. */
    default void onFallback(String from, String to, ModelException error) {}

    /** The breaker of {@code model} refused a call. */
    default void onBreakerOpen(String model) {}
}
