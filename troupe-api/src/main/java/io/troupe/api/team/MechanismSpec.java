package io.troupe.api.team;

import io.troupe.api.internal.Checks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a team collaborates, as data. The runtime turns a spec into a {@link Collaboration} when a run starts, so
 * that the spec can be journaled and the run resumed on any node.
 */
public sealed interface MechanismSpec {

    /** The agent ids this mechanism refers to, for validation against the team. */
    List<String> referencedAgents();

    /** A human-readable name of the mechanism, for messages and logs. */
    String kind();

    /** Problems with this mechanism itself, independent of the team; empty when valid. */
    default List<String> problems() {
        return List.of();
    }

    /**
     * A pipeline: each agent in {@code order} works on the task in turn and hands its answer to the next. The
     * last answer is the result.
     */
    record Sequential(List<String> order) implements MechanismSpec {
        public Sequential {
            order = Checks.list(order, "Sequential order");
        }

        @Override
        public List<String> referencedAgents() {
            return order;
        }

        @Override
        public String kind() {
            return "sequential";
        }

        @Override
        public List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (order.isEmpty()) {
                problems.add("sequential: order must name at least one agent");
            }
            Set<String> seen = new HashSet<>();
            Set<String> repeated = new java.util.LinkedHashSet<>();
            for (String id : order) {
                if (!seen.add(id)) {
                    repeated.add(id);
                }
            }
            for (String id : repeated) {
                problems.add("sequential: agent '" + id + "' appears more than once in order");
            }
            return problems;
        }
    }

    /**
     * Hierarchical delegation: the {@code manager} works on the task and may delegate subtasks to the
     * {@code workers} through a {@code delegate} tool, several at once. The manager's final answer is the result.
     */
    record ManagerWorkers(String manager, List<String> workers) implements MechanismSpec {
        public ManagerWorkers {
            Checks.notNull(manager, "ManagerWorkers manager");
            workers = Checks.list(workers, "ManagerWorkers workers");
        }

        @Override
        public List<String> referencedAgents() {
            List<String> all = new ArrayList<>();
            all.add(manager);
            all.addAll(workers);
            return all;
        }

        @Override
        public String kind() {
            return "manager-workers";
        }

        @Override
        public List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (workers.isEmpty()) {
                problems.add("manager-workers: workers must name at least one agent");
            }
            if (workers.contains(manager)) {
                problems.add("manager-workers: manager '" + manager + "' must not also be a worker");
            }
            if (new HashSet<>(workers).size() != workers.size()) {
                problems.add("manager-workers: workers must not repeat an agent");
            }
            return problems;
        }
    }

    /**
     * A mechanism registered with the runtime under {@code name}, with string parameters for its factory.
     *
     * @param name the name the collaboration factory was registered under
     * @param params parameters for the factory
     * @param agents the agents it refers to, checked against the team
     */
    record Custom(String name, Map<String, String> params, List<String> agents) implements MechanismSpec {
        public Custom {
            Checks.name(name, "Custom mechanism name");
            params = Map.copyOf(Checks.notNull(params, "Custom mechanism params"));
            agents = Checks.list(agents, "Custom mechanism agents");
        }

        @Override
        public List<String> referencedAgents() {
            return agents;
        }

        @Override
        public String kind() {
            return name;
        }
    }
}
