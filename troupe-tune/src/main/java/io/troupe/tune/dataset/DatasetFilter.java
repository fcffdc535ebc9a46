package io.troupe.tune.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which journaled model calls become examples. Empty sets match everything. Build one with {@link #builder()}.
 *
 * @param agents agent ids to keep
 * @param roles agent roles to keep
 * @param models model names to keep: a call matches by the model the agent used or the one that served it (for
 *     distillation, the runs an expensive model served)
 * @param runs run ids to keep
 * @param outcomes run outcomes to keep, from {@link #OUTCOMES}
 * @param approvals what people decided in the runs to keep, from {@link #APPROVALS}: {@code approved} (a person
 *     approved what an interceptor held, and denied nothing), {@code denied} (a person denied something) or {@code
 *     unreviewed} (no person was asked)
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
        Set<String> approvals,
        @Nullable Double minScore,
        Map<String, Double> scores,
        boolean finalAnswersOnly) {

    /** The run outcomes a filter can name. */
    public static final List<String> OUTCOMES =
            List.of("completed", "failed", "budget-exceeded", "cancelled", "running");

    /** What people decided in a run, as a filter names it. */
    public static final List<String> APPROVALS = List.of("approved", "denied", "unreviewed");

    /** Calls of completed runs, of any agent and model. */
    public static final DatasetFilter COMPLETED = builder().build();

    public DatasetFilter {
        agents = Set.copyOf(agents);
        roles = Set.copyOf(roles);
        models = Set.copyOf(models);
        runs = Set.copyOf(runs);
        outcomes = Set.copyOf(outcomes);
        approvals = Set.copyOf(approvals);
        scores = Map.copyOf(scores);
        List<String> problems = new ArrayList<>();
        for (String outcome : outcomes) {
            if (!OUTCOMES.contains(outcome)) {
                problems.add("outcome '" + outcome + "' is not one of " + OUTCOMES);
            }
        }
        for (String approval : approvals) {
            if (!APPROVALS.contains(approval)) {
                problems.add("approval '" + approval + "' is not one of " + APPROVALS);
            }
        }
        if (minScore != null && !(minScore >= 0 && minScore <= 1)) {
            problems.add("minScore must be between 0 and 1, got " + minScore);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid dataset filter: " + String.join("; ", problems));
        }
    }

    /** A builder that keeps the calls of completed runs, of any agent, role, model and approval. */
    public static Builder builder() {
        return new Builder();
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
        if (!approvals.isEmpty() && !approvals.contains(provenance.approval())) {
            return "approval";
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

    /** Builds a {@link DatasetFilter}; not safe for concurrent use. */
    public static final class Builder {
        private Set<String> agents = Set.of();
        private Set<String> roles = Set.of();
        private Set<String> models = Set.of();
        private Set<String> runs = Set.of();
        private Set<String> outcomes = Set.of("completed");
        private Set<String> approvals = Set.of();
        private @Nullable Double minScore;
        private Map<String, Double> scores = Map.of();
        private boolean finalAnswersOnly;

        private Builder() {}

        /** Keeps only these agents' calls (empty: every agent). */
        public Builder agents(Set<String> ids) {
            this.agents = ids;
            return this;
        }

        /** Keeps only calls of agents with these roles (empty: every role). */
        public Builder roles(Set<String> roles) {
            this.roles = roles;
            return this;
        }

        /** Keeps only calls to these models, or that they served (empty: every model). */
        public Builder models(Set<String> names) {
            this.models = names;
            return this;
        }

        /** Keeps only these runs (empty: every run). */
        public Builder runs(Set<String> ids) {
            this.runs = ids;
            return this;
        }

        /** Keeps runs that ended so, from {@link #OUTCOMES} (empty: any outcome; default: completed). */
        public Builder outcomes(Set<String> outcomes) {
            this.outcomes = outcomes;
            return this;
        }

        /** Keeps runs where people decided so, from {@link #APPROVALS} (empty, the default: any). */
        public Builder approvals(Set<String> approvals) {
            this.approvals = approvals;
            return this;
        }

        /** Keeps only runs that {@code scores} (run id to score) scores at least {@code minScore}. */
        public Builder minScore(double minScore, Map<String, Double> scores) {
            this.minScore = minScore;
            this.scores = scores;
            return this;
        }

        /** Leaves out calls that asked for tools. */
        public Builder finalAnswersOnly(boolean finalAnswersOnly) {
            this.finalAnswersOnly = finalAnswersOnly;
            return this;
        }

        /**
         * The filter.
         *
         * @throws IllegalArgumentException naming every unknown outcome or approval and a score out of [0, 1]
         */
        public DatasetFilter build() {
            return new DatasetFilter(
                    agents, roles, models, runs, outcomes, approvals, minScore, scores, finalAnswersOnly);
        }
    }
}
