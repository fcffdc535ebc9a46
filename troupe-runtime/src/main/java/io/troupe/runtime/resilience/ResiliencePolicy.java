package io.troupe.runtime.resilience;

import io.troupe.api.Checks;
import java.time.Duration;

/**
 * How a {@link ResilientModel} retries, times out and trips its breaker.
 *
 * @param maxAttempts attempts per call on one model, the first included; 1 means no retry
 * @param initialBackoff the wait before the first retry; it doubles for each further retry
 * @param maxBackoff the longest wait between attempts, Retry-After included
 * @param jitter the random share of each wait, from 0 (none) to 1 (anywhere between 0 and the full wait)
 * @param callTimeout how long one attempt may take before it is abandoned as a (retriable) timeout
 * @param breakerThreshold consecutive failed calls that open the endpoint's circuit breaker
 * @param breakerOpenFor how long an open breaker refuses calls before it lets one trial call through (half-open)
 */
public record ResiliencePolicy(
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        double jitter,
        Duration callTimeout,
        int breakerThreshold,
        Duration breakerOpenFor) {

    /** Three attempts, 0.5 s backoff doubling up to 30 s with 20% jitter, 120 s per call, breaker after 5 failures. */
    public static final ResiliencePolicy DEFAULT = new ResiliencePolicy(
            3, Duration.ofMillis(500), Duration.ofSeconds(30), 0.2, Duration.ofSeconds(120), 5, Duration.ofSeconds(30));

    public ResiliencePolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("ResiliencePolicy maxAttempts must be at least 1, got " + maxAttempts);
        }
        positive(Checks.notNull(initialBackoff, "initialBackoff"), "initialBackoff");
        positive(Checks.notNull(maxBackoff, "maxBackoff"), "maxBackoff");
        positive(Checks.notNull(callTimeout, "callTimeout"), "callTimeout");
        positive(Checks.notNull(breakerOpenFor, "breakerOpenFor"), "breakerOpenFor");
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("ResiliencePolicy jitter must be between 0 and 1, got " + jitter);
        }
        if (breakerThreshold < 1) {
            throw new IllegalArgumentException(
                    "ResiliencePolicy breakerThreshold must be at least 1, got " + breakerThreshold);
        }
    }

    public ResiliencePolicy withMaxAttempts(int maxAttempts) {
        return new ResiliencePolicy(
                maxAttempts, initialBackoff, maxBackoff, jitter, callTimeout, breakerThreshold, breakerOpenFor);
    }

    public ResiliencePolicy withBackoff(Duration initialBackoff, Duration maxBackoff, double jitter) {
        return new ResiliencePolicy(
                maxAttempts, initialBackoff, maxBackoff, jitter, callTimeout, breakerThreshold, breakerOpenFor);
    }

    public ResiliencePolicy withCallTimeout(Duration callTimeout) {
        return new ResiliencePolicy(
                maxAttempts, initialBackoff, maxBackoff, jitter, callTimeout, breakerThreshold, breakerOpenFor);
    }

    public ResiliencePolicy withBreaker(int breakerThreshold, Duration breakerOpenFor) {
        return new ResiliencePolicy(
                maxAttempts, initialBackoff, maxBackoff, jitter, callTimeout, breakerThreshold, breakerOpenFor);
    }

    /** The wait before retry number {@code retry} (1 for the first), before jitter and Retry-After. */
    Duration backoff(int retry) {
        long millis = initialBackoff.toMillis() << Math.min(retry - 1, 30);
        return millis <= 0 || millis > maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(millis);
    }

    private static void positive(Duration value, String name) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("ResiliencePolicy " + name + " must be positive, got " + value);
        }
    }
}
