package io.troupe.runtime.resilience;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A circuit breaker for one endpoint. Closed, it lets calls through and counts consecutive failures; at the
 * threshold it opens and refuses calls for a while; then it half-opens and lets one trial call through, which
 * closes it on success or opens it again on failure. Thread-safe.
 */
public final class CircuitBreaker {
    /** The breaker's state. */
    public enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    private final int threshold;
    private final Duration openFor;
    private final Clock clock;
    private int failures;
    private @Nullable Instant openedAt;
    private boolean trialInFlight;

    public CircuitBreaker(int threshold, Duration openFor, Clock clock) {
        this.threshold = threshold;
        this.openFor = openFor;
        this.clock = clock;
    }

    /** The state now. */
    public synchronized State state() {
        if (openedAt == null) {
            return State.CLOSED;
        }
        return clock.instant().isBefore(openedAt.plus(openFor)) ? State.OPEN : State.HALF_OPEN;
    }

    /** Whether a call may go through now; a half-open breaker admits one trial call at a time. */
    synchronized boolean tryAcquire() {
        return switch (state()) {
            case CLOSED -> true;
            case OPEN -> false;
            case HALF_OPEN -> {
                if (trialInFlight) {
                    yield false;
                }
                trialInFlight = true;
                yield true;
            }
        };
    }

    /** When an open breaker will half-open. */
    synchronized Duration retryIn() {
        return openedAt == null ? Duration.ZERO : Duration.between(clock.instant(), openedAt.plus(openFor));
    }

    synchronized void onSuccess() {
        failures = 0;
        openedAt = null;
        trialInFlight = false;
    }

    synchronized void onFailure() {
        failures++;
        if (trialInFlight || failures >= threshold) {
            openedAt = clock.instant();
        }
        trialInFlight = false;
    }
}
