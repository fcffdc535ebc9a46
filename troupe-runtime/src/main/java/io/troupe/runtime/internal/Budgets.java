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

    /** When the run's wall-clock budget runs out. */
    static Instant deadline(Budget budget, Instant startedAt) {
        return startedAt.plus(budget.maxWallTime());
    }
}
