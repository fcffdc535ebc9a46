package io.troupe.config;

import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.MechanismSpec.SpeakerSelection;
import io.troupe.api.team.MechanismSpec.Verdict;
import io.troupe.config.YamlTree.Field;
import io.troupe.config.YamlTree.Kind;
import io.troupe.config.YamlTree.ListNode;
import io.troupe.config.YamlTree.MapNode;
import io.troupe.config.YamlTree.Node;
import io.troupe.config.YamlTree.Scalar;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Reads the conversational mechanisms, group chat and debate, for a {@link MechanismReader}. Not thread-safe. */
final class ChatReader {
    private static final List<String> GROUP_CHAT =
            List.of("mechanism", "members", "selection", "selector", "rules", "max-turns", "terminate-on");
    private static final List<String> RULE = List.of("after", "contains", "next");
    private static final List<String> DEBATE =
            List.of("mechanism", "debaters", "rounds", "verdict", "judge", "voters", "weights");
    private static final String WHERE = MechanismReader.WHERE;

    private final MechanismReader mechanisms;
    private final Checker check;

    ChatReader(MechanismReader mechanisms) {
        this.mechanisms = mechanisms;
        this.check = mechanisms.check();
    }

    @Nullable
    MechanismSpec groupChat(MapNode team) {
        check.onlyKeys(team, "a group-chat team", GROUP_CHAT);
        List<String> members = mechanisms.agents(team, "members", true, 1);
        SpeakerSelection selection =
                mechanisms.choice(team, "selection", SpeakerSelection.class, SpeakerSelection.ROUND_ROBIN);
        String selector = mechanisms.agent(team, "selector", false);
        ListNode ruleList = check.list(check.field(team, "rules", WHERE, false), WHERE);
        List<MechanismSpec.SpeakerRule> rules = rules(ruleList, members);
        Long maxTurns = check.integer(check.field(team, "max-turns", WHERE, false), WHERE, 1);
        Field terminateField = check.field(team, "terminate-on", WHERE, false);
        String terminateOn = check.string(terminateField, WHERE);
        if (terminateField != null && terminateOn != null && terminateOn.isBlank()) {
            check.report(
                    terminateField.value().pos(),
                    "'terminate-on' in team is blank",
                    "write the phrase that ends the chat, e.g. '" + Hints.example("terminate-on")
                            + "', or leave it out to end only at max-turns");
        }
        if (selection == SpeakerSelection.LLM
                && selector == null
                && !team.fields().containsKey("selector")) {
            check.report(
                    team.fields().get("selection").value().pos(),
                    "selection 'llm' needs a 'selector' agent that names the next speaker",
                    "add e.g. '" + Hints.example("selector") + "', an agent that is not a member");
        }
        mechanisms.onlyWith(
                team, "selector", selection == null || selection == SpeakerSelection.LLM, "selection", "llm");
        mechanisms.notAlsoIn(team, "selector", selector, "members");
        if (selection == SpeakerSelection.RULES && !team.fields().containsKey("rules")) {
            check.report(
                    team.fields().get("selection").value().pos(),
                    "selection 'rules' needs at least one rule",
                    "add e.g. '" + Hints.example("rules") + "'");
        }
        if (selection == SpeakerSelection.RULES
                && ruleList != null
                && ruleList.items().isEmpty()) {
            check.report(
                    ruleList.pos(),
                    "selection 'rules' needs at least one rule",
                    "e.g. '" + Hints.example("rules") + "'");
        }
        mechanisms.onlyWith(
                team, "rules", selection == null || selection == SpeakerSelection.RULES, "selection", "rules");
        if (members == null || selection == null || rules == null) {
            return null;
        }
        return new MechanismSpec.GroupChat(
                members, selection, selector, rules, maxTurns == null ? 10 : maxTurns.intValue(), terminateOn);
    }

    private @Nullable List<MechanismSpec.SpeakerRule> rules(@Nullable ListNode list, @Nullable List<String> members) {
        List<MechanismSpec.SpeakerRule> rules = new ArrayList<>();
        if (list == null) {
            return rules;
        }
        int before = check.problemCount();
        for (Node item : list.items()) {
            if (!(item instanceof MapNode rule)) {
                check.report(
                        item.pos(),
                        "each item under 'rules' must be a mapping",
                        "e.g. '- { after: writer, contains: \"review\", next: critic }'");
                continue;
            }
            check.onlyKeys(rule, "a speaker rule", RULE);
            check.field(rule, "next", "a speaker rule", true);
            String after = member(rule, "after", members);
            String next = member(rule, "next", members);
            Field containsField = check.field(rule, "contains", "a speaker rule", false);
            String contains = check.string(containsField, "a speaker rule");
            if (containsField != null && contains != null && contains.isBlank()) {
                check.report(
                        containsField.value().pos(),
                        "'contains' in a speaker rule is blank",
                        "write the text to look for, e.g. '" + Hints.example("contains")
                                + "', or leave it out to match any message");
            }
            if (next != null) {
                rules.add(new MechanismSpec.SpeakerRule(after, contains, next));
            }
        }
        return check.problemCount() > before ? null : rules;
    }

    /** The agent named by {@code key} in a speaker rule, checked to be a member of the chat. */
    private @Nullable String member(MapNode rule, String key, @Nullable List<String> members) {
        Field field = rule.fields().get(key);
        String id = check.name(field, "a speaker rule");
        if (field == null
                || id == null
                || !mechanisms.reference(field.value().pos(), id, "a speaker rule's '" + key + "'")) {
            return null;
        }
        if (members != null && !members.contains(id)) {
            check.report(
                    field.value().pos(),
                    "a speaker rule names '" + id + "' as '" + key + "', which is not a member of the chat",
                    "members are " + String.join(", ", members));
            return null;
        }
        return id;
    }

    @Nullable
    MechanismSpec debate(MapNode team) {
        check.onlyKeys(team, "a debate team", DEBATE);
        List<String> debaters = mechanisms.agents(team, "debaters", true, 2);
        Long rounds = check.integer(check.field(team, "rounds", WHERE, false), WHERE, 1);
        Verdict verdict = mechanisms.choice(team, "verdict", Verdict.class, Verdict.MAJORITY);
        String judge = mechanisms.agent(team, "judge", false);
        if (verdict == Verdict.JUDGE && judge == null && !team.fields().containsKey("judge")) {
            check.report(
                    team.fields().get("verdict").value().pos(),
                    "verdict 'judge' needs a 'judge' agent that picks the winning answer",
                    "add e.g. '" + Hints.example("judge") + "'");
        }
        mechanisms.onlyWith(team, "judge", verdict == null || verdict == Verdict.JUDGE, "verdict", "judge");
        List<String> voters = List.of();
        if (team.fields().containsKey("voters")) {
            voters = mechanisms.agents(team, "voters", false, 1);
            Field votersField = team.fields().get("voters");
            if (verdict == Verdict.JUDGE) {
                check.report(
                        votersField.keyPos(),
                        "'voters' apply only to verdicts 'majority' and 'weighted'",
                        "write 'verdict: majority', or remove 'voters'");
            }
        }
        Map<String, BigDecimal> weights = weights(team, voters == null || voters.isEmpty() ? debaters : voters);
        mechanisms.onlyWith(team, "weights", verdict == null || verdict == Verdict.WEIGHTED, "verdict", "weighted");
        if (debaters == null || verdict == null || voters == null || weights == null) {
            return null;
        }
        return new MechanismSpec.Debate(
                debaters, rounds == null ? 2 : rounds.intValue(), verdict, judge, voters, weights);
    }

    /** The ballot weights by voter; each voter must vote and each weight be positive. */
    private @Nullable Map<String, BigDecimal> weights(MapNode team, @Nullable List<String> voters) {
        MapNode map = check.map(check.field(team, "weights", WHERE, false), WHERE);
        Map<String, BigDecimal> weights = new LinkedHashMap<>();
        if (map == null) {
            return weights;
        }
        int before = check.problemCount();
        for (Field field : map.fields().values()) {
            String voter = field.key();
            if (!mechanisms.reference(field.keyPos(), voter, "team weights")) {
                continue;
            }
            if (voters != null && !voters.contains(voter)) {
                check.report(
                        field.keyPos(),
                        "a weight is given for '" + voter + "', who does not vote",
                        "voters are " + String.join(", ", voters));
            }
            if (field.value() instanceof Scalar scalar
                    && (scalar.kind() == Kind.INTEGER || scalar.kind() == Kind.DECIMAL)
                    && new BigDecimal(scalar.text()).signum() > 0) {
                weights.put(voter, new BigDecimal(scalar.text()));
            } else {
                String got = field.value() instanceof Scalar scalar ? scalar.describe() : "a nested value";
                check.report(
                        field.value().pos(),
                        "the weight of '" + voter + "' must be a positive number, not " + got,
                        "e.g. 'weights: { " + voter + ": 2 }'; a voter left out weighs 1");
            }
        }
        return check.problemCount() > before ? null : weights;
    }
}
