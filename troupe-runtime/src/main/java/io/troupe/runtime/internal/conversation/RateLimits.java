package io.troupe.runtime.internal.conversation;

import io.troupe.runtime.resilience.RateLimit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A node's rate limits: which {@link RateLimit} applies to each model, by the name agents use, and the limiter that
 * admits calls under them.
 *
 * @param forModel the limit of a model, or null for none
 * @param limiter admits calls under the limits
 */
public record RateLimits(Function<String, @Nullable RateLimit> forModel, RateLimiter limiter) {
    /** No limits. */
    public static final RateLimits NONE = new RateLimits(model -> null, RateLimiter.NONE);
}
