package io.troupe.api.team;

import io.troupe.api.Checks;
import io.troupe.api.ConfigurationException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
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
 * @param members the agents and teams, each with a unique id
 * @param mechanism how they collaborate
 * @param budget the limits for a whole run
 * @param interceptors the names of interceptors registered with the runtime that apply to every member of this
 *     team (and of its teams), after those that apply to every run
 */
public record TeamSpec(
        String name, List<Member> members, MechanismSpec mechanism, Budget budget, List<String> interceptors) {

    public TeamSpec {
        Checks.notBlank(name, "Team name");
        members = Checks.list(members, "Team members");
        Checks.notNull(mechanism, "Team mechanism");
        Checks.notNull(budget, "Team budget");
        interceptors = Checks.names(interceptors, "Interceptors of team '" + name + "'");
        ConfigurationException.throwIfAny("Invalid team '" + name + "'", problems(members, mechanism));
    }

    /** A team without interceptors of its own. */
    public TeamSpec(String name, List<Member> members, MechanismSpec mechanism, Budget budget) {
        this(name, members, mechanism, budget, List.of());
    }

    /** This team with a different budget. */
    public TeamSpec withBudget(Budget budget) {
        return new TeamSpec(name, members, mechanism, budget, interceptors);
    }

    /** This team with {@code more} interceptors applied after its own. */
    public TeamSpec withInterceptors(List<String> more) {
        List<String> all = new ArrayList<>(interceptors);
        for (String name : more) {
            if (!all.contains(name)) {
                all.add(name);
            }
        }
        return new TeamSpec(name, members, mechanism, budget, all);
    }

    /** A team of one agent, for {@code Troupe.act}. */
    public static TeamSpec single(AgentSpec agent, Budget budget) {
        return new TeamSpec(
                agent.id(), List.of(Member.of(agent)), new MechanismSpec.Sequential(List.of(agent.id())), budget);
    }

    /** A builder for a team called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The member with id {@code id}, if any. */
    public Optional<Member> member(String id) {
        for (Member member : members) {
            if (member.id().equals(id)) {
                return Optional.of(member);
            }
        }
        return Optional.empty();
    }

    /** The agent with id {@code id}, if there is a member with that id and it is an agent rather than a team. */
    public Optional<AgentSpec> agent(String id) {
        return member(id).flatMap(m -> m instanceof Member.Agent agent ? Optional.of(agent.spec()) : Optional.empty());
    }

    /** The member ids, in order. */
    public List<String> memberIds() {
        return members.stream().map(Member::id).toList();
    }

    private static List<String> problems(List<Member> members, MechanismSpec mechanism) {
        List<String> problems = new ArrayList<>();
        if (members.isEmpty()) {
            problems.add("a team needs at least one member");
        }
        Set<String> ids = new HashSet<>();
        for (Member member : members) {
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
                        + members.stream().map(Member::id).toList());
            }
        }
        return problems;
    }

    /** Builds a {@link TeamSpec}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final List<Member> members = new ArrayList<>();
        private @Nullable MechanismSpec mechanism;
        private Budget budget = Budget.DEFAULT;
        private final List<String> interceptors = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /** Adds an agent. */
        public Builder member(AgentSpec agent) {
            members.add(Member.of(agent));
            return this;
        }

        /** Adds a member: an agent or a whole team ({@link Member#team}). */
        public Builder member(Member member) {
            members.add(member);
            return this;
        }

        /** Adds agents, in order. */
        public Builder members(AgentSpec... agents) {
            for (AgentSpec agent : agents) {
                member(agent);
            }
            return this;
        }

        /** Adds members, agents or teams, in order. */
        public Builder members(Member... members) {
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
         * Adds interceptors by the names they are registered under; they apply to every member, after those that
         * apply to every run, in the order given.
         */
        public Builder interceptors(String... names) {
            interceptors.addAll(List.of(names));
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
                            members.stream().map(Member::id).toList());
            List<String> problems = new ArrayList<>();
            if (name == null || name.isBlank()) {
                problems.add("the team name must not be blank");
            }
            problems.addAll(problems(members, chosen));
            problems.addAll(Checks.nameProblems(interceptors, "Interceptor name in team '" + name + "'"));
            ConfigurationException.throwIfAny("Invalid team '" + name + "'", problems);
            return new TeamSpec(name, members, chosen, budget, interceptors);
        }
    }
}
