package io.troupe.config;

import io.troupe.api.team.MechanismSpec;
import io.troupe.config.YamlTree.Field;
import io.troupe.config.YamlTree.ListNode;
import io.troupe.config.YamlTree.MapNode;
import io.troupe.config.YamlTree.Node;
import io.troupe.config.YamlTree.Scalar;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Reads a blackboard team for a {@link MechanismReader}: its knowledge sources, checking that every kind a source
 * triggers on, and the goal, is written by some source (or is the task). Not thread-safe.
 */
final class BoardReader {
    private static final List<String> BLACKBOARD = List.of("mechanism", "sources", "goal", "max-activations");
    private static final List<String> SOURCE = List.of("agent", "triggers", "writes");
    private static final String WHERE = MechanismReader.WHERE;

    private final MechanismReader mechanisms;
    private final Checker check;

    BoardReader(MechanismReader mechanisms) {
        this.mechanisms = mechanisms;
        this.check = mechanisms.check();
    }

    @Nullable
    MechanismSpec blackboard(MapNode team) {
        int before = check.problemCount();
        check.onlyKeys(team, "a blackboard team", BLACKBOARD);
        ListNode list = check.list(check.field(team, "sources", WHERE, true), WHERE);
        if (list != null && list.items().isEmpty()) {
            check.report(
                    list.pos(), "team sources must name at least one agent", "e.g. '" + Hints.example("sources") + "'");
        }
        List<MechanismSpec.KnowledgeSource> sources = new ArrayList<>();
        Set<String> written = new TreeSet<>(List.of(MechanismSpec.Blackboard.TASK));
        List<Node> triggers = new ArrayList<>(); // checked once every kind written is known
        List<String> agents = new ArrayList<>();
        boolean allWrites = list != null
                && !list.items().isEmpty(); // whether every kind written is known, so that kinds can be checked
        for (Node item : list == null ? List.<Node>of() : list.items()) {
            if (!(item instanceof MapNode source)) {
                check.report(
                        item.pos(),
                        "each item under 'sources' must be a mapping",
                        "e.g. '- { agent: planner, triggers: [task], writes: outline }'");
                allWrites = false;
                continue;
            }
            check.onlyKeys(source, "a blackboard source", SOURCE);
            Field agentField = check.field(source, "agent", "a blackboard source", true);
            String agent = mechanisms.agent(source, "agent", false, "team sources");
            if (agentField != null && agent != null && agents.contains(agent)) {
                check.report(
                        agentField.value().pos(),
                        "agent '" + agent + "' appears twice in team sources",
                        "give each agent one source, with all its triggers");
            }
            String where = agent == null ? "a blackboard source" : "the source '" + agent + "'";
            ListNode triggerList = check.list(check.field(source, "triggers", where, true), where);
            List<String> kinds = new ArrayList<>();
            for (Node trigger : triggerList == null ? List.<Node>of() : triggerList.items()) {
                String kind = check.nameItem(trigger, "a trigger of " + where);
                if (kind != null && kinds.contains(kind)) {
                    check.report(
                            trigger.pos(),
                            "trigger '" + kind + "' is listed twice in " + where,
                            "remove the repeated entry");
                } else if (kind != null) {
                    kinds.add(kind);
                    triggers.add(trigger);
                }
            }
            if (triggerList != null && triggerList.items().isEmpty()) {
                check.report(
                        triggerList.pos(),
                        where + " has no triggers, so it never runs",
                        "e.g. '" + Hints.example("triggers") + "'");
            }
            String writes = check.name(check.field(source, "writes", where, true), where);
            if (writes != null) {
                written.add(writes);
            } else {
                allWrites = false;
            }
            if (agent != null) {
                agents.add(agent);
                if (writes != null && triggerList != null) {
                    sources.add(new MechanismSpec.KnowledgeSource(agent, kinds, writes));
                }
            }
        }
        for (Node trigger : allWrites ? triggers : List.<Node>of()) {
            String kind = ((Scalar) trigger).text();
            if (!written.contains(kind)) {
                check.report(
                        trigger.pos(),
                        "a source triggers on '" + kind + "', which no source writes",
                        kindsHint(kind, written));
            }
        }
        Field goalField = check.field(team, "goal", WHERE, true);
        String goal = check.name(goalField, WHERE);
        if (goal != null && goal.equals(MechanismSpec.Blackboard.TASK)) {
            check.report(
                    goalField.value().pos(),
                    "the goal kind '" + goal + "' is the task itself, so the board would end before any source runs",
                    "name the kind of the final entry, which a source writes, e.g. '" + Hints.example("goal") + "'");
        } else if (goal != null && allWrites && !written.contains(goal)) {
            check.report(
                    goalField.value().pos(), "no source writes the goal kind '" + goal + "'", kindsHint(goal, written));
        } else if (goal != null && check.problemCount() == before) {
            Set<String> reachable = reachable(sources);
            if (!reachable.contains(goal)) {
                check.report(
                        goalField.value().pos(),
                        "no chain of sources leads from the task to the goal kind '" + goal + "'",
                        "starting from the task, only " + String.join(", ", reachable)
                                + " entries are ever written; trigger a source on one of them");
            }
        }
        Long max = check.integer(check.field(team, "max-activations", WHERE, false), WHERE, 1);
        return goal == null ? null : new MechanismSpec.Blackboard(sources, goal, max == null ? 20 : max.intValue());
    }

    /** The kinds that can be written, starting from the task: a source runs once a kind it triggers on is. */
    private static Set<String> reachable(List<MechanismSpec.KnowledgeSource> sources) {
        Set<String> reachable = new TreeSet<>(List.of(MechanismSpec.Blackboard.TASK));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (MechanismSpec.KnowledgeSource source : sources) {
                if (source.triggers().stream().anyMatch(reachable::contains)) {
                    grew |= reachable.add(source.writes());
                }
            }
        }
        return reachable;
    }

    private static String kindsHint(String kind, Set<String> written) {
        String near = Hints.nearest(kind, written);
        String list = "kinds written are " + String.join(", ", written) + " ('task' is the task itself)";
        return near == null ? list : Hints.didYouMean(kind, near) + " " + list;
    }
}
