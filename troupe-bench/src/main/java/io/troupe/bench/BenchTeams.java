package io.troupe.bench;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.team.TeamSpec;

/** The teams the benchmarks run. */
final class BenchTeams {
    /** The model name the benchmark teams use. */
    static final String MODEL = "bench";

    /** The task the benchmark teams work on. */
    static final String TASK = "Summarise the quarterly report in three bullet points.";

    private BenchTeams() {}

    /** Three agents in a sequential pipeline, each with one short instruction, all on {@link #MODEL}. */
    static TeamSpec sequential3() {
        return TeamSpec.builder("bench-pipeline")
                .members(
                        AgentSpec.of("researcher", MODEL, "You find the facts that answer the task."),
                        AgentSpec.of("writer", MODEL, "You turn the facts into a clear answer."),
                        AgentSpec.of("editor", MODEL, "You tighten the answer and fix mistakes."))
                .sequential("researcher", "writer", "editor")
                .build();
    }

    /**
     * A sequential pipeline of {@code agents} agents ({@link #sequential3()} for three), to separate the cost of a
     * step from the fixed cost of a run.
     */
    static TeamSpec sequential(int agents) {
        if (agents == 3) {
            return sequential3();
        }
        TeamSpec.Builder team = TeamSpec.builder("bench-pipeline-" + agents);
        for (int i = 1; i <= agents; i++) {
            team.member(AgentSpec.of("agent" + i, MODEL, "You improve the answer, stage " + i + "."));
        }
        return team.build();
    }
}
