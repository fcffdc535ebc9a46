package io.troupe.config;

import io.troupe.api.team.MechanismSpec;
import io.troupe.config.YamlTree.Field;
import io.troupe.config.YamlTree.ListNode;
import io.troupe.config.YamlTree.MapNode;
import io.troupe.config.YamlTree.Node;
import io.troupe.config.YamlTree.Scalar;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Reads the {@code team:} section into a {@link MechanismSpec}, checking every agent it names. Not thread-safe. */
final class MechanismReader {
    private static final List<String> SEQUENTIAL = List.of("mechanism", "order");
    private static final List<String> MANAGER_WORKERS = List.of("mechanism", "manager", "workers");
    private static final List<String> MECHANISMS = List.of("sequential", "manager-workers");

    private final Checker check;

    MechanismReader(Checker check) {
        this.check = check;
    }

    /**
     * The mechanism of {@code team}, or a pipeline through {@code agentIds} when there is no team section.
     *
     * @param agentIds every agent id written in the file
     * @return the mechanism, or null when a problem was reported
     */
    @Nullable
    MechanismSpec read(@Nullable MapNode team, List<String> agentIds) {
        if (team == null) {
            return new MechanismSpec.Sequential(agentIds);
        }
        Field kindField = check.field(team, "mechanism", "team", true);
        String kind = check.string(kindField, "team");
        if (kind == null) {
            return null;
        }
        switch (kind) {
            case "sequential" -> {
                check.onlyKeys(team, "a sequential team", SEQUENTIAL);
                Field orderField = check.field(team, "order", "team", false);
                if (orderField == null) {
                    return new MechanismSpec.Sequential(agentIds);
                }
                ListNode order = check.list(orderField, "team");
                if (order != null && order.items().isEmpty()) {
                    check.report(
                            order.pos(),
                            "team order must name at least one agent",
                            "e.g. '" + Checker.example("order")
                                    + "', or leave 'order' out to use every agent in file order");
                    return null;
                }
                List<String> ids = references(order, "team order", agentIds, true);
                return ids == null ? null : new MechanismSpec.Sequential(ids);
            }
            case "manager-workers" -> {
                check.onlyKeys(team, "a manager-workers team", MANAGER_WORKERS);
                Field managerField = check.field(team, "manager", "team", true);
                String manager = check.string(managerField, "team");
                if (managerField != null && manager != null) {
                    reference(managerField.value(), manager, "team manager", agentIds);
                }
                ListNode workerList = check.list(check.field(team, "workers", "team", true), "team");
                List<String> workers = references(workerList, "team workers", agentIds, true);
                if (workerList != null && workers != null && workerList.items().isEmpty()) {
                    check.report(
                            workerList.pos(),
                            "team workers must name at least one agent",
                            "e.g. '" + Checker.example("workers") + "'");
                }
                if (workerList != null && manager != null) {
                    for (Node item : workerList.items()) {
                        if (item instanceof Scalar s && s.text().equals(manager)) {
                            check.report(
                                    item.pos(),
                                    "manager '" + manager + "' is also listed as a worker",
                                    "remove it from 'workers'");
                        }
                    }
                }
                return manager == null || workers == null ? null : new MechanismSpec.ManagerWorkers(manager, workers);
            }
            default -> {
                check.report(
                        kindField.value().pos(),
                        "unknown mechanism '" + kind + "'",
                        Checker.unknownNameHint(kind, MECHANISMS, "mechanisms"));
                return null;
            }
        }
    }

    private @Nullable List<String> references(
            @Nullable ListNode list, String what, List<String> agentIds, boolean unique) {
        if (list == null) {
            return null;
        }
        int before = check.problemCount();
        List<String> ids = new ArrayList<>();
        for (Node item : list.items()) {
            String id = check.nameItem(item, "an agent in " + what);
            if (id == null) {
                continue;
            }
            reference(item, id, what, agentIds);
            if (unique && ids.contains(id)) {
                check.report(item.pos(), "agent '" + id + "' appears twice in " + what, "list each agent once");
            }
            ids.add(id);
        }
        return check.problemCount() > before ? null : ids;
    }

    private void reference(Node at, String id, String what, List<String> agentIds) {
        if (!agentIds.contains(id)) {
            check.report(
                    at.pos(),
                    what + " refers to agent '" + id + "', which is not defined",
                    Checker.unknownNameHint(id, agentIds, "agents"));
        }
    }
}
