package io.troupe.config;

import io.troupe.api.team.MechanismSpec;
import io.troupe.config.YamlTree.Field;
import io.troupe.config.YamlTree.ListNode;
import io.troupe.config.YamlTree.MapNode;
import io.troupe.config.YamlTree.Node;
import io.troupe.config.YamlTree.Pos;
import io.troupe.config.YamlTree.Scalar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code team:} section into a {@link MechanismSpec}, checking every agent it names. Sequential,
 * manager-workers, parallel and handoff teams are read here; group chats and debates by {@link ChatReader},
 * contract-net and auctions by {@link MarketReader}, blackboards by {@link BoardReader}. Not thread-safe.
 */
final class MechanismReader {
    private static final List<String> SEQUENTIAL = List.of("mechanism", "order");
    private static final List<String> MANAGER_WORKERS = List.of("mechanism", "manager", "workers");
    private static final List<String> PARALLEL = List.of("mechanism", "workers", "combiner");
    private static final List<String> HANDOFF = List.of("mechanism", "entry", "routes", "history", "max-handoffs");
    static final List<String> MECHANISMS = List.of(
            "sequential",
            "manager-workers",
            "parallel",
            "group-chat",
            "handoff",
            "contract-net",
            "first-price-auction",
            "vickrey-auction",
            "english-auction",
            "debate",
            "blackboard");
    static final String WHERE = "team";

    /**
     * The agents of the team being read, as written, including those with mistakes: their ids in file order, and
     * the role and capabilities of each.
     */
    record Roster(List<String> ids, Map<String, String> roles, Map<String, List<String>> capabilities) {
        Roster {
            ids = List.copyOf(new LinkedHashSet<>(ids));
            roles = Map.copyOf(roles);
            capabilities = Map.copyOf(capabilities);
        }
    }

    private final Checker check;
    private final Roster roster;

    MechanismReader(Checker check, Roster roster) {
        this.check = check;
        this.roster = roster;
    }

    Checker check() {
        return check;
    }

    Roster roster() {
        return roster;
    }

    /**
     * The mechanism of {@code team}, or a pipeline through every agent when there is no team section. Problems the
     * mechanism itself reports ({@link MechanismSpec#problems()}) beyond those checked here are reported at the team
     * section.
     *
     * @return the mechanism, or null when a problem was reported
     */
    @Nullable
    MechanismSpec read(@Nullable MapNode team) {
        if (team == null) {
            return new MechanismSpec.Sequential(roster.ids());
        }
        Field kindField = check.field(team, "mechanism", WHERE, true);
        String kind = check.string(kindField, WHERE);
        if (kind == null) {
            return null;
        }
        int before = check.problemCount();
        MechanismSpec spec = switch (kind) {
            case "sequential" -> sequential(team);
            case "manager-workers" -> managerWorkers(team);
            case "parallel" -> parallel(team);
            case "group-chat" -> new ChatReader(this).groupChat(team);
            case "handoff" -> handoff(team);
            case "contract-net" -> new MarketReader(this).contractNet(team);
            case "first-price-auction" -> new MarketReader(this).auction(team, MechanismSpec.AuctionType.FIRST_PRICE);
            case "vickrey-auction" -> new MarketReader(this).auction(team, MechanismSpec.AuctionType.VICKREY);
            case "english-auction" -> new MarketReader(this).auction(team, MechanismSpec.AuctionType.ENGLISH);
            case "debate" -> new ChatReader(this).debate(team);
            case "blackboard" -> new BoardReader(this).blackboard(team);
            default -> {
                check.report(
                        kindField.value().pos(),
                        "unknown mechanism '" + kind + "'",
                        Hints.unknownNameHint(kind, MECHANISMS, "mechanisms"));
                yield null;
            }
        };
        if (spec == null || check.problemCount() > before) {
            return null;
        }
        for (String problem : spec.problems()) { // a safety net: the checks above should have caught each of these
            check.report(team.pos(), problem, "fix the 'team' section");
        }
        return check.problemCount() > before ? null : spec;
    }

    private @Nullable MechanismSpec sequential(MapNode team) {
        check.onlyKeys(team, "a sequential team", SEQUENTIAL);
        Field orderField = check.field(team, "order", WHERE, false);
        if (orderField == null) {
            return new MechanismSpec.Sequential(roster.ids());
        }
        ListNode order = check.list(orderField, WHERE);
        if (order != null && order.items().isEmpty()) {
            check.report(
                    order.pos(),
                    "team order must name at least one agent",
                    "e.g. '" + Hints.example("order") + "', or leave 'order' out to use every agent in file order");
            return null;
        }
        List<String> ids = references(order, "team order", true);
        return ids == null ? null : new MechanismSpec.Sequential(ids);
    }

    private @Nullable MechanismSpec managerWorkers(MapNode team) {
        check.onlyKeys(team, "a manager-workers team", MANAGER_WORKERS);
        Field managerField = check.field(team, "manager", WHERE, true);
        String manager = check.string(managerField, WHERE);
        if (managerField != null && manager != null) {
            reference(managerField.value().pos(), manager, "team manager");
        }
        List<String> workers = agents(team, "workers", true, 1);
        notAlsoIn(team, "manager", manager, "workers");
        return manager == null || workers == null ? null : new MechanismSpec.ManagerWorkers(manager, workers);
    }

    private @Nullable MechanismSpec parallel(MapNode team) {
        check.onlyKeys(team, "a parallel team", PARALLEL);
        List<String> workers = agents(team, "workers", true, 1);
        String combiner = agent(team, "combiner", false);
        notAlsoIn(team, "combiner", combiner, "workers");
        return workers == null ? null : new MechanismSpec.Parallel(workers, combiner);
    }

    private @Nullable MechanismSpec handoff(MapNode team) {
        check.onlyKeys(team, "a handoff team", HANDOFF);
        String entry = agent(team, "entry", true);
        MapNode routesNode = check.map(check.field(team, "routes", WHERE, true), WHERE);
        Map<String, List<String>> routes = new LinkedHashMap<>();
        if (routesNode != null && routesNode.fields().isEmpty()) {
            check.report(
                    routesNode.pos(),
                    "team routes must name at least one agent that may hand off",
                    "e.g. '" + Hints.example("routes") + "'");
        }
        if (routesNode != null) {
            for (Field route : routesNode.fields().values()) {
                String from = route.key();
                reference(route.keyPos(), from, "team routes");
                ListNode targets = check.list(route, "team routes");
                List<String> to = references(targets, "the routes of '" + from + "'", true);
                if (targets == null || to == null) {
                    continue;
                }
                if (targets.items().isEmpty()) {
                    check.report(
                            targets.pos(),
                            "agent '" + from + "' has an empty route list",
                            "name the agents it may hand off to, or remove '" + from + ":' from 'routes'");
                }
                for (Node target : targets.items()) {
                    if (target instanceof Scalar s && s.text().equals(from)) {
                        check.report(
                                target.pos(),
                                "agent '" + from + "' must not hand off to itself",
                                "remove '" + from + "' from its own routes");
                    }
                }
                routes.put(from, to);
            }
        }
        Long history = check.integer(check.field(team, "history", WHERE, false), WHERE, 0);
        Long maxHandoffs = check.integer(check.field(team, "max-handoffs", WHERE, false), WHERE, 1);
        if (entry == null || routesNode == null) {
            return null;
        }
        return new MechanismSpec.Handoff(
                entry,
                routes,
                history == null ? 2 : history.intValue(),
                maxHandoffs == null ? 5 : maxHandoffs.intValue());
    }

    // ---- helpers shared with the other mechanism readers

    /** The value of {@code key}, one of {@code allowed} in kebab case, as a constant of {@code type}. */
    <E extends Enum<E>> @Nullable E choice(MapNode map, String key, Class<E> type, E defaultValue) {
        List<String> allowed = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            allowed.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        Field field = check.field(map, key, WHERE, false);
        if (field == null) {
            return defaultValue;
        }
        String value = check.choice(field, WHERE, allowed);
        return value == null
                ? null
                : Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The agent named by {@code key}, checked to be defined; null when absent or wrong. */
    @Nullable
    String agent(MapNode map, String key, boolean required) {
        return agent(map, key, required, "team " + key);
    }

    /** As {@link #agent(MapNode, String, boolean)}, naming the reference {@code what} in messages. */
    @Nullable
    String agent(MapNode map, String key, boolean required, String what) {
        Field field = check.field(map, key, WHERE, required);
        String id = check.name(field, WHERE);
        if (field == null || id == null) {
            return null;
        }
        return reference(field.value().pos(), id, what) ? id : null;
    }

    /**
     * The agents listed under {@code key}: each defined, none twice, and at least {@code min} of them.
     *
     * @return the ids, or null when absent or wrong
     */
    @Nullable
    List<String> agents(MapNode map, String key, boolean required, int min) {
        ListNode list = check.list(check.field(map, key, WHERE, required), WHERE);
        List<String> ids = references(list, "team " + key, true);
        if (list != null && ids != null && list.items().size() < min) {
            check.report(
                    list.pos(),
                    "team " + key + " must name at least " + (min == 1 ? "one agent" : min + " agents"),
                    "e.g. '" + Hints.example(key) + "'");
            return null;
        }
        return ids;
    }

    /** Reports {@code id}, the value of {@code key}, if it is also listed under {@code listKey}. */
    void notAlsoIn(MapNode map, String key, @Nullable String id, String listKey) {
        Field listField = map.fields().get(listKey);
        if (id == null || listField == null || !(listField.value() instanceof ListNode list)) {
            return;
        }
        for (Node item : list.items()) {
            if (item instanceof Scalar s && s.text().equals(id)) {
                check.report(
                        item.pos(),
                        key + " '" + id + "' is also listed under '" + listKey + "'",
                        "remove it from '" + listKey + "'");
            }
        }
    }

    /** Reports a key that only applies when another key has a certain value. */
    void onlyWith(MapNode map, String key, boolean applies, String otherKey, String otherValue) {
        Field field = map.fields().get(key);
        if (field != null && !applies) {
            check.report(
                    field.keyPos(),
                    "'" + key + "' applies only to " + otherKey + " '" + otherValue + "'",
                    "write '" + otherKey + ": " + otherValue + "', or remove '" + key + "'");
        }
    }

    /** The ids listed, each checked to be defined (and listed once if {@code unique}); null when absent or wrong. */
    @Nullable
    List<String> references(@Nullable ListNode list, String what, boolean unique) {
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
            reference(item.pos(), id, what);
            if (unique && ids.contains(id)) {
                check.report(item.pos(), "agent '" + id + "' appears twice in " + what, "list each agent once");
            }
            ids.add(id);
        }
        return check.problemCount() > before ? null : ids;
    }

    /** Whether {@code id} is a defined agent; reports it at {@code at} if not. */
    boolean reference(Pos at, String id, String what) {
        if (roster.ids().contains(id)) {
            return true;
        }
        check.report(
                at,
                what + " refers to agent '" + id + "', which is not defined",
                Hints.unknownNameHint(id, roster.ids(), "agents"));
        return false;
    }
}
