package io.troupe.tune.eval;

import io.troupe.api.model.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * A set of cases run with one configuration.
 *
 * @param label what was run: the model or configuration compared
 * @param cases each case's result, in case order
 */
public record EvalRun(String label, List<CaseResult> cases) {
    public EvalRun {
        cases = List.copyOf(cases);
    }

    /** The mean case score, from 0 to 1. */
    public double score() {
        return cases.stream().mapToDouble(CaseResult::score).average().orElse(0);
    }

    /** The total cost in USD. */
    public BigDecimal cost() {
        return cases.stream().map(c -> c.usage().cost()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The total tokens. */
    public long tokens() {
        return cases.stream()
                .mapToLong(c -> c.usage().inputTokens() + c.usage().outputTokens())
                .sum();
    }

    /** The mean latency per case. */
    public Duration meanLatency() {
        return cases.isEmpty()
                ? Duration.ZERO
                : cases.stream()
                        .map(CaseResult::latency)
                        .reduce(Duration.ZERO, Duration::plus)
                        .dividedBy(cases.size());
    }

    /** Usage summed over the cases. */
    public Usage usage() {
        return cases.stream().map(CaseResult::usage).reduce(Usage.ZERO, Usage::plus);
    }
}
