package io.troupe.runtime.internal;

import io.troupe.api.model.Usage;
import io.troupe.api.run.Budget;
import io.troupe.api.run.Outcome;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Checks a budget before a model call. Usage only grows, so once a check fails it keeps failing. */
final class Budgets {
    private Budgets() {}

    /** The first limit that {@code usage}, {@code turns} and the elapsed time have reached, or null. */
    static Outcome.@Nullable BudgetExceeded check(
            Budget budget, Usage usage, int turns, Instant startedAt, Instant now) {
        Duration elapsed = Duration.between(startedAt, now);
        if (elapsed.compareTo(budget.maxWallTime()) >= 0) {
            return new Outcome.BudgetExceeded(
                    Budget.Resource.WALL_TIME, budget.maxWallTime().toString(), elapsed.toString());
        }
        if (turns >= budget.maxTurns()) {
            return new Outcome.BudgetExceeded(
                    Budget.Resource.TURNS, Integer.toString(budget.maxTurns()), Integer.toString(turns));
        }
        if (usage.totalTokens() >= budget.maxTokens()) {
            return new Outcome.BudgetExceeded(
                    Budget.Resource.TOKENS, Long.toString(budget.maxTokens()), Long.toString(usage.totalTokens()));
        }
        if (usage.cost().compareTo(budget.maxCost()) >= 0) {
            return new Outcome.BudgetExceeded(
                    Budget.Resource.COST,
                    "$" + budget.maxCost().toPlainString(),
                    "$" + usage.cost().toPlainString());
        }
        return null;
    }

    /**
     * The budget of a child run: {@code own}, capped by what remains of {@code parent} after {@code usage} and
     * {@code turns}. Each limit stays positive; a parent that has run out stops before it starts a child.
     */
    static Budget remaining(Budget parent, Budget own, Usage usage, int turns, Instant startedAt, Instant now) {
        long tokens = Math.max(1, Math.min(own.maxTokens(), parent.maxTokens() - usage.totalTokens()));
        java.math.BigDecimal cost = own.maxCost().min(parent.maxCost().subtract(usage.cost()));
        if (cost.signum() <= 0) {
            cost = new java.math.BigDecimal("0.000001");
        }
        int turnsLeft = Math.max(1, Math.min(own.maxTurns(), parent.maxTurns() - turns));
        Duration wall = Duration.between(now, deadline(parent, startedAt));
        if (wall.compareTo(own.maxWallTime()) > 0) {
            wall = own.maxWallTime();
        }
        if (wall.isNegative() || wall.isZero()) {
            wall = Duration.ofMillis(1);
        }
        return new Budget(tokens, cost, turnsLeft, wall);
    }

    /** When the run's wall-clock budget runs out. */
    static Instant deadline(Budget budget, Instant startedAt) {
        return startedAt.plus(budget.maxWallTime());
    }
}
