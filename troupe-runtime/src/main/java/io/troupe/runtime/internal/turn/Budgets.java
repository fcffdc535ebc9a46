package io.troupe.runtime.internal.turn;

import io.troupe.api.budget.Budget;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.Usage;
import io.troupe.api.run.Outcome;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Budget rules. A run may use all of its budget: it is over budget only when its wall clock has run out, when it
 * has spent more than a limit, or when it needs a call that the budget cannot hold. A call reserves its estimated
 * prompt and its output limit until it completes, in tokens and, when its model knows its price, in money, so calls
 * started together cannot overshoot together.
 */
public final class Budgets {
    private Budgets() {}

    /** The limit the run has already passed, or null: its wall clock, or more tokens or money than allowed. */
    public static Outcome.@Nullable BudgetExceeded overrun(Budget budget, Usage usage, Instant startedAt, Instant now) {
        Duration elapsed = Duration.between(startedAt, now);
        if (elapsed.compareTo(budget.maxWallTime()) >= 0) {
            return new Outcome.BudgetExceeded(
                    Budget.Resource.WALL_TIME, budget.maxWallTime().toString(), elapsed.toString());
        }
        if (usage.totalTokens() > budget.maxTokens()) {
            return tokens(budget, usage.totalTokens());
        }
        if (usage.cost().compareTo(budget.maxCost()) > 0) {
            return cost(budget, usage.cost());
        }
        return null;
    }

    /** What a call may have: its output limit, or why the budget cannot hold it. */
    public sealed interface Allowance {
        /** The call fits, with at most {@code maxOutputTokens} of output. */
        record Granted(int maxOutputTokens) implements Allowance {}

        /** The call does not fit. */
        record Refused(Outcome.BudgetExceeded exceeded) implements Allowance {}
    }

    /**
     * Whether one more model call fits in {@code budget}.
     *
     * @param usage what has been spent
     * @param turns model calls made
     * @param reserved tokens held by calls in flight
     * @param reservedCost money held by calls in flight
     * @param estimate the new call's estimated prompt tokens
     * @param model the new call's model, for its price; a model that does not know its price holds no money
     * @param share how many calls are starting together, this one included: each gets an equal share of the tokens
     *     and money left
     */
    public static Allowance nextCall(
            Budget budget,
            Usage usage,
            int turns,
            long reserved,
            BigDecimal reservedCost,
            long estimate,
            @Nullable LanguageModel model,
            int share,
            Instant startedAt,
            Instant now) {
        Outcome.BudgetExceeded over = overrun(budget, usage, startedAt, now);
        if (over != null) {
            return new Allowance.Refused(over);
        }
        if (turns + 1 > budget.maxTurns()) {
            return new Allowance.Refused(new Outcome.BudgetExceeded(
                    Budget.Resource.TURNS, Integer.toString(budget.maxTurns()), Integer.toString(turns), "1"));
        }
        if (usage.cost().compareTo(budget.maxCost()) >= 0) {
            return new Allowance.Refused(cost(budget, usage.cost()));
        }
        long left = budget.maxTokens() - usage.totalTokens() - reserved;
        long mine = left / Math.max(1, share);
        long output = mine - estimate;
        if (output < 1) {
            return new Allowance.Refused(new Outcome.BudgetExceeded(
                    Budget.Resource.TOKENS,
                    Long.toString(budget.maxTokens()),
                    reserved == 0
                            ? Long.toString(usage.totalTokens())
                            : usage.totalTokens() + " (and " + reserved + " held by calls in flight)",
                    "about " + (estimate + 1) + " (its prompt and at least one token of answer)"));
        }
        BigDecimal prompt = model == null ? BigDecimal.ZERO : model.estimateCost(estimate, 0);
        BigDecimal perToken = model == null ? BigDecimal.ZERO : model.estimateCost(0, 1);
        if (prompt.signum() > 0 || perToken.signum() > 0) {
            BigDecimal costLeft = budget.maxCost().subtract(usage.cost()).subtract(reservedCost);
            BigDecimal myCost = costLeft.divide(BigDecimal.valueOf(Math.max(1, share)), 12, RoundingMode.DOWN);
            BigDecimal least = prompt.add(perToken);
            if (least.compareTo(myCost) > 0) {
                return new Allowance.Refused(new Outcome.BudgetExceeded(
                        Budget.Resource.COST,
                        "$" + budget.maxCost().toPlainString(),
                        "$" + usage.cost().toPlainString()
                                + (reservedCost.signum() == 0
                                        ? ""
                                        : " (and $" + money(reservedCost) + " held by calls in flight)"),
                        "about $" + money(least) + " (its prompt and at least one token of answer)"));
            }
            if (perToken.signum() > 0) {
                BigDecimal affordable = myCost.subtract(prompt).divide(perToken, 0, RoundingMode.DOWN);
                if (affordable.compareTo(BigDecimal.valueOf(output)) < 0) {
                    output = affordable.longValue();
                }
            }
        }
        return new Allowance.Granted((int) Math.min(Integer.MAX_VALUE, output));
    }

    /** An amount of money as people read it: at most four significant digits, no exponent. */
    private static String money(BigDecimal amount) {
        return amount.round(new MathContext(4, RoundingMode.UP))
                .stripTrailingZeros()
                .toPlainString();
    }

    /**
     * The budget of a child run: {@code own}, capped by what remains of {@code parent} after {@code usage},
     * {@code turns} and the tokens and money ({@code reserved}, {@code reservedCost}) held by calls in flight,
     * shared among {@code share} starting together. Each limit stays positive; a parent that has run out stops before
     * it starts a child.
     */
    public static Budget remaining(
            Budget parent,
            Budget own,
            Usage usage,
            int turns,
            long reserved,
            BigDecimal reservedCost,
            int share,
            Instant startedAt,
            Instant now) {
        long left = (parent.maxTokens() - usage.totalTokens() - reserved) / Math.max(1, share);
        long tokens = Math.max(1, Math.min(own.maxTokens(), left));
        BigDecimal cost = own.maxCost()
                .min(parent.maxCost()
                        .subtract(usage.cost())
                        .subtract(reservedCost)
                        .divide(BigDecimal.valueOf(Math.max(1, share)), 12, RoundingMode.DOWN)
                        .stripTrailingZeros());
        if (cost.signum() <= 0) {
            cost = new BigDecimal("0.000001");
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

    /**
     * The limit of {@code resource} when a run has no more of it left (its wall clock has run out, or it has used
     * all its turns, tokens or money), or null while some is left.
     */
    public static Outcome.@Nullable BudgetExceeded exhausted(
            Budget budget, Budget.Resource resource, Usage usage, int turns, Instant startedAt, Instant now) {
        return switch (resource) {
            case WALL_TIME -> {
                Duration elapsed = Duration.between(startedAt, now);
                yield elapsed.compareTo(budget.maxWallTime()) >= 0
                        ? new Outcome.BudgetExceeded(
                                resource, budget.maxWallTime().toString(), elapsed.toString())
                        : null;
            }
            case TURNS ->
                turns >= budget.maxTurns()
                        ? new Outcome.BudgetExceeded(
                                resource, Integer.toString(budget.maxTurns()), Integer.toString(turns))
                        : null;
            case TOKENS -> usage.totalTokens() >= budget.maxTokens() ? tokens(budget, usage.totalTokens()) : null;
            case COST -> usage.cost().compareTo(budget.maxCost()) >= 0 ? cost(budget, usage.cost()) : null;
        };
    }

    /** When a run started at {@code startedAt} runs out of wall-clock budget. */
    public static Instant deadline(Budget budget, Instant startedAt) {
        return startedAt.plus(budget.maxWallTime());
    }

    private static Outcome.BudgetExceeded tokens(Budget budget, long used) {
        return new Outcome.BudgetExceeded(
                Budget.Resource.TOKENS, Long.toString(budget.maxTokens()), Long.toString(used));
    }

    private static Outcome.BudgetExceeded cost(Budget budget, BigDecimal used) {
        return new Outcome.BudgetExceeded(
                Budget.Resource.COST, "$" + budget.maxCost().toPlainString(), "$" + used.toPlainString());
    }
}
