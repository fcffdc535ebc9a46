package io.troupe.guard;

import io.troupe.api.intercept.Interception;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The guardrails of each scope: those of every run, a team's (by team name, for runs of that team and of members
 * that are that team), and an agent's (by agent id), most specific first. Immutable.
 */
record Scopes(Guardrails run, Map<String, Guardrails> teams, Map<String, Guardrails> agents) {
    Scopes {
        teams = Map.copyOf(teams);
        agents = Map.copyOf(agents);
    }

    /** The guardrails at {@code context}: the agent's, else its team's, else the run's. */
    Guardrails of(Interception.Context context) {
        String agent = context.agentId();
        if (agent != null) {
            Guardrails own = agents.get(agent);
            if (own != null) {
                return own;
            }
        }
        return teams.getOrDefault(context.team(), run);
    }

    /** The guardrails of agent {@code agentId} where the team is not known (a tool's run): its own, else the run's. */
    Guardrails forAgent(String agentId) {
        return agents.getOrDefault(agentId, run);
    }

    /** Every scope's guardrails. */
    List<Guardrails> all() {
        List<Guardrails> all = new ArrayList<>();
        all.add(run);
        all.addAll(teams.values());
        all.addAll(agents.values());
        return all;
    }
}
