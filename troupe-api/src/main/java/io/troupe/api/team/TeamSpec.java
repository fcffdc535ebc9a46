package io.troupe.api.team;

import io.troupe.api.ConfigurationException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.internal.Checks;
import io.troupe.api.run.Budget;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A team: its members, how they collaborate and what the run may spend. Plain data, journaled when a run starts.
 *
 * <p>Build one with {@link #builder}, which checks that ids are unique and that the mechanism names only members,
 * and reports every problem at once.
 *
 * @param name a name for logs and listings
 * @param members the agents, each with a unique id
 * @param mechanism how they collaborate
 * @param budget the limits for a whole run
 */
public record TeamSpec(String name, List<AgentSpec> members, MechanismSpec mechanism, Budget budget) {

    public TeamSpec {
        Checks.notBlank(name, "Team name");
        members = Checks.list(members, "Team members");
        Checks.notNull(mechanism, "Team mechanism");
        Checks.notNull(budget, "Team budget");
        ConfigurationException.throwIfAny("Invalid team '" + name + "'", problems(members, mechanism));
    }

    /** A team of one agent, for {@code Troupe.act}. */
    public static TeamSpec single(AgentSpec agent, Budget budget) {
        return new TeamSpec(agent.id(), List.of(agent), new MechanismSpec.Sequential(List.of(agent.id())), budget);
    }

    /** A builder for a team called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The member with id {@code id}, if any. */
    public Optional<AgentSpec> member(String id) {
        for (AgentSpec member : members) {
            if (member.id().equals(id)) {
                return Optional.of(member);
            }
        }
        return Optional.empty();
    }

    private static List<String> problems(List<AgentSpec> members, MechanismSpec mechanism) {
        List<String> problems = new ArrayList<>();
        if (members.isEmpty()) {
            problems.add("a team needs at least one member");
        }
        Set<String> ids = new HashSet<>();
        for (AgentSpec member : members) {
            if (!ids.add(member.id())) {
                problems.add("two members have the id '" + member.id() + "': ids must be unique");
            }
        }
        if (members.isEmpty()) {
            return problems; // the mechanism's own problems would only repeat this one
        }
        problems.addAll(mechanism.problems());
        problems.addAll(mechanism.problems(members));
        for (String ref : new LinkedHashSet<>(mechanism.referencedAgents())) {
            if (!ids.contains(ref)) {
                problems.add(mechanism.kind() + " refers to agent '" + ref + "', which is not a member; members are "
                        + members.stream().map(AgentSpec::id).toList());
            }
        }
        return problems;
    }

    /** Builds a {@link TeamSpec}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final List<AgentSpec> members = new ArrayList<>();
        private @Nullable MechanismSpec mechanism;
        private Budget budget = Budget.DEFAULT;

        private Builder(String name) {
            this.name = name;
        }

        public Builder member(AgentSpec member) {
            members.add(member);
            return this;
        }

        public Builder members(AgentSpec... members) {
            this.members.addAll(List.of(members));
            return this;
        }

        public Builder mechanism(MechanismSpec mechanism) {
            this.mechanism = mechanism;
            return this;
        }

        /** A pipeline through the given agents, in order. */
        public Builder sequential(String... order) {
            return mechanism(new MechanismSpec.Sequential(List.of(order)));
        }

        /** A manager that delegates to workers. */
        public Builder managerWorkers(String manager, String... workers) {
            return mechanism(new MechanismSpec.ManagerWorkers(manager, List.of(workers)));
        }

        public Builder budget(Budget budget) {
            this.budget = budget;
            return this;
        }

        /**
         * Builds the team; without a mechanism, the members form a pipeline in the order added.
         *
         * @throws ConfigurationException listing every problem found
         */
        public TeamSpec build() {
            MechanismSpec chosen = mechanism != null
                    ? mechanism
                    : new MechanismSpec.Sequential(
                            members.stream().map(AgentSpec::id).toList());
            List<String> problems = new ArrayList<>();
            if (name == null || name.isBlank()) {
                problems.add("the team name must not be blank");
            }
            problems.addAll(problems(members, chosen));
            ConfigurationException.throwIfAny("Invalid team '" + name + "'", problems);
            return new TeamSpec(name, members, chosen, budget);
        }
    }
}
