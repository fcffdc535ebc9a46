package io.troupe.guard;

import io.troupe.api.Checks;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Rate limits beside a run's budgets, against unbounded consumption: an agent's model calls and tool calls in a run,
 * and each tool's calls across every run of the runtime (the tool's backend sees them all).
 *
 * @param modelCalls the most model calls of one agent in one run per window, or null for no limit
 * @param toolCalls the most tool calls of one agent in one run per window, or null for no limit
 * @param tools the most calls of a tool, by tool name, across the runtime per window
 */
public record RateLimits(
        @Nullable RateLimit modelCalls, @Nullable RateLimit toolCalls, Map<String, RateLimit> tools) {
    /** No rate limit. */
    public static final RateLimits NONE = new RateLimits(null, null, Map.of());

    public RateLimits {
        tools = Map.copyOf(Checks.notNull(tools, "RateLimits tools"));
    }

    /** Whether any limit is set. */
    public boolean any() {
        return modelCalls != null || toolCalls != null || !tools.isEmpty();
    }
}
