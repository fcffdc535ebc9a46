package io.troupe.api.budget;

import io.troupe.api.Checks;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Limits on what a run (or one agent in it) may spend. Every limit is finite: nothing runs unbounded.
 *
 * <p>The runtime checks the budget before every model call and charges it after. A run that runs out ends with
 * {@link Outcome.BudgetExceeded}, overshooting by at most the model calls already in flight.
 *
 * @param maxTokens input plus output tokens, summed over all model calls
 * @param maxCost US dollars, summed over all model calls
 * @param maxTurns model calls (each decide step is one turn)
 * @param maxWallTime time from the start of the run to its end
 */
public record Budget(long maxTokens, BigDecimal maxCost, int maxTurns, Duration maxWallTime) {

    /** The default budget: 200,000 tokens, $5, 50 turns and 10 minutes. */
    public static final Budget DEFAULT = new Budget(200_000, new BigDecimal("5.00"), 50, Duration.ofMinutes(10));

    /** The resource a budget limits. */
    public enum Resource {
        TOKENS,
        COST,
        TURNS,
        WALL_TIME
    }

    public Budget {
        if (maxTokens <= 0) {
            throw new IllegalArgumentException("Budget maxTokens must be positive, got " + maxTokens);
        }
        Checks.notNull(maxCost, "Budget maxCost");
        if (maxCost.signum() <= 0) {
            throw new IllegalArgumentException("Budget maxCost must be positive, got " + maxCost);
        }
        if (maxTurns <= 0) {
            throw new IllegalArgumentException("Budget maxTurns must be positive, got " + maxTurns);
        }
        Checks.notNull(maxWallTime, "Budget maxWallTime");
        if (maxWallTime.isNegative() || maxWallTime.isZero()) {
            throw new IllegalArgumentException("Budget maxWallTime must be positive, got " + maxWallTime);
        }
    }

    /** This budget with a different token limit. */
    public Budget withMaxTokens(long maxTokens) {
        return new Budget(maxTokens, maxCost, maxTurns, maxWallTime);
    }

    /** This budget with a different cost limit, in US dollars. */
    public Budget withMaxCost(BigDecimal maxCost) {
        return new Budget(maxTokens, maxCost, maxTurns, maxWallTime);
    }

    /** This budget with a different turn limit. */
    public Budget withMaxTurns(int maxTurns) {
        return new Budget(maxTokens, maxCost, maxTurns, maxWallTime);
    }

    /** This budget with a different wall-clock limit. */
    public Budget withMaxWallTime(Duration maxWallTime) {
        return new Budget(maxTokens, maxCost, maxTurns, maxWallTime);
    }

    /** The tighter of this budget and {@code other}, limit by limit. */
    public Budget min(Budget other) {
        return new Budget(
                Math.min(maxTokens, other.maxTokens),
                maxCost.min(other.maxCost),
                Math.min(maxTurns, other.maxTurns),
                maxWallTime.compareTo(other.maxWallTime) <= 0 ? maxWallTime : other.maxWallTime);
    }
}
