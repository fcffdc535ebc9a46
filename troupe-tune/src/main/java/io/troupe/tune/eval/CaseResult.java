package io.troupe.tune.eval;

import io.troupe.api.model.Usage;
import java.time.Duration;
import java.util.List;

/**
 * One case's run and its score.
 *
 * @param caseId the case
 * @param runId the run's id in the journal
 * @param outcome completed, failed, budget-exceeded or cancelled
 * @param answer the run's answer, or why it failed
 * @param checks each check's result
 * @param usage what the run spent
 * @param latency wall time from start to outcome
 */
public record CaseResult(
        String caseId,
        String runId,
        String outcome,
        String answer,
        List<CheckResult> checks,
        Usage usage,
        Duration latency) {
    public CaseResult {
        checks = List.copyOf(checks);
    }

    /** The mean of the checks' scores, from 0 to 1. */
    public double score() {
        return checks.stream().mapToDouble(CheckResult::score).average().orElse(0);
    }
}
