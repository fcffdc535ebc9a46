package io.troupe.api.team;

import io.troupe.api.Checks;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A member of a team: an {@link Agent agent} that thinks with a model, or a {@link Subteam whole team} whose every
 * turn is a run of that team. Switch over it exhaustively.
 *
 * <p>Mechanisms see members through the accessors shared by both kinds: a mechanism addresses, selects and pays
 * members without caring which kind they are.
 */
public sealed interface Member {

    /** Unique within the team; matches {@link Checks#NAME}. */
    String id();

    /** What the member is for; messages can be addressed to a role. */
    String role();

    /** What the member can do, for market eligibility (e.g. "translate", "python"). */
    List<String> capabilities();

    /** A limit for this member alone, or null to share the run's budget only. */
    @Nullable
    Budget budget();

    /** The member for an agent. */
    static Member of(AgentSpec agent) {
        return new Agent(agent);
    }

    /** A member that is a whole team, with no budget or capabilities of its own. */
    static Subteam team(String id, String role, TeamSpec team) {
        return new Subteam(id, role, team, null, List.of());
    }

    /** An agent with a model, tools and memory. */
    record Agent(AgentSpec spec) implements Member {
        public Agent {
            Checks.notNull(spec, "Member agent spec");
        }

        @Override
        public String id() {
            return spec.id();
        }

        @Override
        public String role() {
            return spec.role();
        }

        @Override
        public List<String> capabilities() {
            return spec.capabilities();
        }

        @Override
        public @Nullable Budget budget() {
            return spec.budget();
        }
    }

    /**
     * A member that stands for a whole team: each of its turns is a run of {@code team} on the request (a child
     * conversation), within its own budget, if set, and what remains of the outer run's.
     *
     * @param id unique within the outer team
     * @param role what the member is for
     * @param team the team that answers for it
     * @param budget a limit for all of this member's child runs together, or null
     * @param capabilities what the member can do, for market eligibility
     */
    record Subteam(
            String id, String role, TeamSpec team, @Nullable Budget budget, List<String> capabilities)
            implements Member {
        public Subteam {
            Checks.name(id, "Team member id");
            Checks.name(role, "Role of team member '" + id + "'");
            Checks.notNull(team, "Team of member '" + id + "'");
            capabilities = Checks.list(capabilities, "Capabilities of team member '" + id + "'");
        }

        /** This member with a budget of its own. */
        public Subteam withBudget(@Nullable Budget budget) {
            return new Subteam(id, role, team, budget, capabilities);
        }

        /** This member with capabilities, for market eligibility. */
        public Subteam withCapabilities(List<String> capabilities) {
            return new Subteam(id, role, team, budget, capabilities);
        }
    }
}
