package io.troupe.runtime.internal.conversation;

import io.troupe.runtime.resilience.RateLimit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Admits model calls under {@link RateLimit}s that hold across the cluster. Thread-safe; never blocks.
 */
public interface RateLimiter {
    /**
     * Completes when a call of about {@code tokens} tokens (its prompt's estimate) may go to a provider under
     * {@code limit}; it waits as long as the limit needs, and never fails.
     */
    CompletionStage<Void> acquire(RateLimit limit, long tokens);

    /** Corrects the tokens charged for a call once its usage is known: {@code tokens} more (or fewer, if negative). */
    void settle(RateLimit limit, long tokens);

    /** A limiter that admits everything at once: for runtimes where no model has a limit. */
    RateLimiter NONE = new RateLimiter() {
        @Override
        public CompletionStage<Void> acquire(RateLimit limit, long tokens) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void settle(RateLimit limit, long tokens) {}
    };
}
