package io.troupe.tune.dataset;

import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which journaled model calls become examples. Empty sets match everything.
 *
 * @param agents agent ids to keep
 * @param roles agent roles to keep
 * @param models model names to keep: a call matches by the model the agent used or the one that served it (for
 *     distillation, the runs an expensive model served)
 * @param runs run ids to keep
 * @param outcomes run outcomes to keep: {@code completed}, {@code failed}, {@code budget-exceeded}, {@code cancelled},
 *     {@code running}
 * @param minScore keep only runs whose score in {@code scores} is at least this, or null for no score filter
 * @param scores eval scores by run id (from {@code troupe eval --out}), used with {@code minScore}
 * @param finalAnswersOnly keep only calls that gave a final answer, not tool calls
 */
public record DatasetFilter(
        Set<String> agents,
        Set<String> roles,
        Set<String> models,
        Set<String> runs,
        Set<String> outcomes,
        @Nullable Double minScore,
        Map<String, Double> scores,
        boolean finalAnswersOnly) {

    /** Calls of completed runs, of any agent and model. */
    public static final DatasetFilter COMPLETED =
            new DatasetFilter(Set.of(), Set.of(), Set.of(), Set.of(), Set.of("completed"), null, Map.of(), false);

    public DatasetFilter {
        agents = Set.copyOf(agents);
        roles = Set.copyOf(roles);
        models = Set.copyOf(models);
        runs = Set.copyOf(runs);
        outcomes = Set.copyOf(outcomes);
        scores = Map.copyOf(scores);
    }

    /** Why {@code provenance} is left out, or null if it is kept. */
    @Nullable
    String exclusion(Provenance provenance, boolean toolCall) {
        if (!runs.isEmpty() && !runs.contains(provenance.runId())) {
            return "run";
        }
        if (!outcomes.isEmpty() && !outcomes.contains(provenance.outcome())) {
            return "outcome";
        }
        if (minScore != null) {
            Double score = scores.get(provenance.runId());
            if (score == null || score < minScore) {
                return "score";
            }
        }
        if (!agents.isEmpty() && !agents.contains(provenance.agentId())) {
            return "agent";
        }
        if (!roles.isEmpty() && (provenance.role() == null || !roles.contains(provenance.role()))) {
            return "role";
        }
        if (!models.isEmpty()
                && !models.contains(provenance.model())
                && (provenance.servedBy() == null || !models.contains(provenance.servedBy()))) {
            return "model";
        }
        if (finalAnswersOnly && toolCall) {
            return "tool call";
        }
        return null;
    }
}
