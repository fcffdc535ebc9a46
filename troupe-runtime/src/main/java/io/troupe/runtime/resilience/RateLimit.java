package io.troupe.runtime.resilience;

import io.troupe.api.Checks;
import io.troupe.api.ConfigurationException;

/**
 * A provider's rate limit that every node of a cluster shares: at most {@code requestsPerMinute} model calls and
 * {@code tokensPerMinute} tokens (prompt and answer) a minute, over all the models that name the same limit. Zero
 * means no limit on that count.
 *
 * <p>The nodes ask one coordinator (a cluster singleton) before each call; a call that would go over waits, never
 * fails. Each limit is a token bucket that holds a minute's worth and refills continuously, so a quiet minute's
 * allowance may go at once. How far the limit can be overshot:
 *
 * <ul>
 *   <li>a call is charged its prompt's estimated tokens when it starts and corrected to the provider's count when it
 *       ends, so calls that started while there was room can take a minute over by their answers' tokens;
 *   <li>the coordinator keeps its buckets in memory: when the node that hosts it leaves or crashes, the next one
 *       starts with full buckets, so the minute after a failover can see up to one extra minute's allowance;
 *   <li>a call's retries in the resilience layer (after a 429 or a 5xx) are not charged again: they follow the
 *       provider's {@code Retry-After}.
 * </ul>
 *
 * @param name the limit's name; models that name the same limit share it (by default the provider: {@code openai},
 *     {@code anthropic}, ...). Declare the same numbers wherever a name is used: the last one declared applies.
 * @param requestsPerMinute model calls a minute, or 0 for no limit
 * @param tokensPerMinute tokens a minute, or 0 for no limit
 */
public record RateLimit(String name, int requestsPerMinute, long tokensPerMinute) {
    public RateLimit {
        Checks.notBlank(name, "RateLimit name");
        if (requestsPerMinute < 0 || tokensPerMinute < 0) {
            throw new ConfigurationException("Rate limit '" + name + "' must not be negative, got " + requestsPerMinute
                    + " requests and " + tokensPerMinute + " tokens a minute");
        }
        if (requestsPerMinute == 0 && tokensPerMinute == 0) {
            throw new ConfigurationException("Rate limit '" + name + "' limits nothing; give requests-per-minute,"
                    + " tokens-per-minute or both");
        }
    }
}
