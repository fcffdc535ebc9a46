package io.troupe.api.agent;

import io.troupe.api.Checks;
import io.troupe.api.ConfigurationException;
import io.troupe.api.budget.Budget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An agent: who it is, what model it thinks with, what it may do. A spec is plain data, so it can be journaled and
 * run on any node; the model and tools it names are looked up in the runtime that runs it.
 *
 * <p>Create one with {@link #of} or {@link #builder}.
 *
 * @param id unique within a team; matches {@link Checks#NAME}
 * @param role what the agent is for; messages can be addressed to a role
 * @param instructions the system prompt
 * @param model the name of a model registered with the runtime
 * @param tools the names of tools registered with the runtime that the model may call
 * @param memory what the agent remembers of its earlier turns
 * @param permissions what it may do beyond talking
 * @param budget a limit for this agent alone, or null to share the run's budget only
 * @param maxIterations the most model calls in one turn of the agent (its ReAct loop) before the turn fails
 * @param capabilities what the agent can do, for market eligibility (e.g. "translate", "python")
 * @param interceptors the names of interceptors registered with the runtime that apply to this agent's model calls,
 *     tool calls and messages, in order, after those that apply to every agent
 */
public record AgentSpec(
        String id,
        String role,
        String instructions,
        String model,
        List<String> tools,
        MemoryPolicy memory,
        Permissions permissions,
        @Nullable Budget budget,
        int maxIterations,
        List<String> capabilities,
        List<String> interceptors) {

    /** The default limit on model calls in one turn of an agent. */
    public static final int DEFAULT_MAX_ITERATIONS = 10;

    public AgentSpec {
        Checks.name(id, "Agent id");
        Checks.name(role, "Role of agent '" + id + "'");
        Checks.notNull(instructions, "Instructions of agent '" + id + "'");
        Checks.notBlank(model, "Model of agent '" + id + "'");
        tools = Checks.list(tools, "Tools of agent '" + id + "'");
        capabilities = Checks.list(capabilities, "Capabilities of agent '" + id + "'");
        interceptors = Checks.names(interceptors, "Interceptors of agent '" + id + "'");
        Set<String> seen = new HashSet<>();
        for (String tool : tools) {
            Checks.name(tool, "Tool name in agent '" + id + "'");
            if (!seen.add(tool)) {
                throw new IllegalArgumentException("Agent '" + id + "' lists tool '" + tool + "' twice");
            }
        }
        Checks.notNull(memory, "Memory policy of agent '" + id + "'");
        Checks.notNull(permissions, "Permissions of agent '" + id + "'");
        if (maxIterations < 1) {
            throw new IllegalArgumentException(
                    "maxIterations of agent '" + id + "' must be at least 1, got " + maxIterations);
        }
    }

    /** An agent with default role (its id), memory, permissions and no tools. */
    public static AgentSpec of(String id, String model, String instructions) {
        return builder(id).model(model).instructions(instructions).build();
    }

    /** A builder for an agent with the given id. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A builder that starts from this spec. */
    public Builder toBuilder() {
        Builder builder = new Builder(id);
        builder.role = role;
        builder.instructions = instructions;
        builder.model = model;
        builder.tools = new ArrayList<>(tools);
        builder.memory = memory;
        builder.permissions = permissions;
        builder.budget = budget;
        builder.maxIterations = maxIterations;
        builder.capabilities = new ArrayList<>(capabilities);
        builder.interceptors = new ArrayList<>(interceptors);
        return builder;
    }

    /**
     * Builds an {@link AgentSpec}. {@link #build()} reports every problem at once. Not thread-safe.
     */
    public static final class Builder {
        private final String id;
        private @Nullable String role;
        private String instructions = "";
        private @Nullable String model;
        private List<String> tools = new ArrayList<>();
        private MemoryPolicy memory = MemoryPolicy.DEFAULT;
        private Permissions permissions = Permissions.ALL;
        private @Nullable Budget budget;
        private int maxIterations = DEFAULT_MAX_ITERATIONS;
        private List<String> capabilities = new ArrayList<>();
        private List<String> interceptors = new ArrayList<>();

        private Builder(String id) {
            this.id = id;
        }

        /** The role; defaults to the id. */
        public Builder role(String role) {
            this.role = role;
            return this;
        }

        public Builder instructions(String instructions) {
            this.instructions = instructions;
            return this;
        }

        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** Adds tools by name. */
        public Builder tools(String... names) {
            tools.addAll(Arrays.asList(names));
            return this;
        }

        public Builder memory(MemoryPolicy memory) {
            this.memory = memory;
            return this;
        }

        public Builder permissions(Permissions permissions) {
            this.permissions = permissions;
            return this;
        }

        public Builder budget(@Nullable Budget budget) {
            this.budget = budget;
            return this;
        }

        public Builder maxIterations(int maxIterations) {
            this.maxIterations = maxIterations;
            return this;
        }

        /**
         * Adds interceptors by the names they are registered under; they apply to this agent after those that apply
         * to every agent, in the order given.
         */
        public Builder interceptors(String... names) {
            interceptors.addAll(Arrays.asList(names));
            return this;
        }

        /** Adds capabilities, which markets can select eligible agents by. */
        public Builder capabilities(String... capabilities) {
            this.capabilities.addAll(Arrays.asList(capabilities));
            return this;
        }

        /**
         * Builds the spec.
         *
         * @throws ConfigurationException listing every problem found
         */
        public AgentSpec build() {
            List<String> problems = new ArrayList<>();
            if (id == null || !Checks.isName(id)) {
                problems.add(Checks.nameProblem(String.valueOf(id), "Agent id"));
            }
            String agent = "agent '" + id + "'";
            if (role != null && !Checks.isName(role)) {
                problems.add(Checks.nameProblem(role, "Role of " + agent));
            }
            if (model == null || model.isBlank()) {
                problems.add(
                        "Model of " + agent + " is missing: call model(name) with a model registered in the runtime");
            }
            Set<String> seen = new HashSet<>();
            for (String tool : tools) {
                if (tool == null || !Checks.isName(tool)) {
                    problems.add(Checks.nameProblem(String.valueOf(tool), "Tool name in " + agent));
                } else if (!seen.add(tool)) {
                    problems.add(agent + " lists tool '" + tool + "' twice");
                }
            }
            if (instructions == null) {
                problems.add("Instructions of " + agent + " are null: pass \"\" for none");
            }
            if (memory == null) {
                problems.add("Memory policy of " + agent + " is null: use MemoryPolicy.DEFAULT or MemoryPolicy.NONE");
            }
            if (permissions == null) {
                problems.add("Permissions of " + agent + " are null: use Permissions.ALL");
            }
            if (maxIterations < 1) {
                problems.add("maxIterations of " + agent + " must be at least 1, got " + maxIterations);
            }
            problems.addAll(Checks.nameProblems(interceptors, "Interceptor name in " + agent));
            ConfigurationException.throwIfAny("Invalid " + agent, problems);
            return new AgentSpec(
                    id,
                    role == null ? id : role,
                    instructions,
                    model,
                    tools,
                    memory,
                    permissions,
                    budget,
                    maxIterations,
                    capabilities,
                    interceptors);
        }
    }
}
