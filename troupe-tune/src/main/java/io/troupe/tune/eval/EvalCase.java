package io.troupe.tune.eval;

import java.util.List;

/**
 * A task to run and the rubric that scores the run.
 *
 * @param id the case's name in reports
 * @param task the task given to the team
 * @param checks the rubric; a case without checks only requires the run to complete
 */
public record EvalCase(String id, String task, List<Check> checks) {
    public EvalCase {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an eval case needs an id");
        }
        if (task == null || task.isBlank()) {
            throw new IllegalArgumentException("eval case '" + id + "' needs a task");
        }
        checks = checks.isEmpty() ? List.of(new Check.OutcomeIs("completed")) : List.copyOf(checks);
    }
}
