package io.troupe.api.team;

import io.troupe.api.team.MechanismSpec.AuctionType;
import io.troupe.api.team.MechanismSpec.KnowledgeSource;
import io.troupe.api.team.MechanismSpec.Scoring;
import io.troupe.api.team.MechanismSpec.SpeakerRule;
import io.troupe.api.team.MechanismSpec.SpeakerSelection;
import io.troupe.api.team.MechanismSpec.Verdict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What is wrong with a {@link MechanismSpec}, each problem in words a user can act on. */
final class MechanismChecks {
    private MechanismChecks() {}

    static List<String> problems(MechanismSpec.Sequential spec) {
        List<String> problems = new ArrayList<>();
        if (spec.order().isEmpty()) {
            problems.add("sequential: order must name at least one agent");
        }
        problems.addAll(repeated("sequential", "order", spec.order()));
        return problems;
    }

    static List<String> problems(MechanismSpec.ManagerWorkers spec) {
        List<String> problems = new ArrayList<>();
        if (spec.workers().isEmpty()) {
            problems.add("manager-workers: workers must name at least one agent");
        }
        if (spec.workers().contains(spec.manager())) {
            problems.add("manager-workers: manager '" + spec.manager() + "' must not also be a worker");
        }
        if (new HashSet<>(spec.workers()).size() != spec.workers().size()) {
            problems.add("manager-workers: workers must not repeat an agent");
        }
        return problems;
    }

    static List<String> problems(MechanismSpec.Parallel spec) {
        List<String> problems = new ArrayList<>();
        if (spec.workers().isEmpty()) {
            problems.add("parallel: workers must name at least one agent");
        }
        problems.addAll(repeated("parallel", "workers", spec.workers()));
        if (spec.combiner() != null && spec.workers().contains(spec.combiner())) {
            problems.add("parallel: combiner '" + spec.combiner() + "' must not also be a worker");
        }
        return problems;
    }

    static List<String> problems(MechanismSpec.GroupChat spec) {
        List<String> problems = new ArrayList<>();
        if (spec.members().isEmpty()) {
            problems.add("group-chat: members must name at least one agent");
        }
        problems.addAll(repeated("group-chat", "members", spec.members()));
        if (spec.maxTurns() < 1) {
            problems.add("group-chat: maxTurns must be at least 1, got " + spec.maxTurns());
        }
        if (spec.selection() == SpeakerSelection.LLM && spec.selector() == null) {
            problems.add("group-chat: selection 'llm' needs a selector agent that names the next speaker");
        }
        if (spec.selector() != null && spec.members().contains(spec.selector())) {
            problems.add("group-chat: selector '" + spec.selector() + "' must not also be a speaker");
        }
        if (spec.selection() == SpeakerSelection.RULES && spec.rules().isEmpty()) {
            problems.add("group-chat: selection 'rules' needs at least one rule");
        }
        for (SpeakerRule rule : spec.rules()) {
            if (!spec.members().contains(rule.next())) {
                problems.add("group-chat: a rule names '" + rule.next() + "' as next speaker, which is not a"
                        + " member of the chat " + spec.members());
            }
        }
        if (spec.terminateOn() != null && spec.terminateOn().isBlank()) {
            problems.add("group-chat: terminateOn must not be blank; leave it out to end only at maxTurns");
        }
        return problems;
    }

    static List<String> problems(MechanismSpec.Handoff spec) {
        List<String> problems = new ArrayList<>();
        if (spec.history() < 0) {
            problems.add("handoff: history must not be negative, got " + spec.history());
        }
        if (spec.maxHandoffs() < 1) {
            problems.add("handoff: maxHandoffs must be at least 1, got " + spec.maxHandoffs());
        }
        spec.routes().forEach((from, to) -> {
            if (to.contains(from)) {
                problems.add("handoff: agent '" + from + "' must not hand off to itself");
            }
            if (to.isEmpty()) {
                problems.add("handoff: agent '" + from + "' has an empty route list; remove it or name targets");
            }
        });
        return problems;
    }

    static List<String> problems(MechanismSpec.ContractNet spec) {
        List<String> problems = new ArrayList<>(spec.eligibility().problems(spec.kind()));
        if (spec.scoring() == Scoring.LLM_JUDGE && spec.judge() == null) {
            problems.add("contract-net: scoring 'llm-judge' needs a judge agent");
        }
        if (spec.bidDeadline().isNegative() || spec.bidDeadline().isZero()) {
            problems.add("contract-net: bidDeadline must be positive, got " + spec.bidDeadline());
        }
        if (spec.maxAwards() < 1) {
            problems.add("contract-net: maxAwards must be at least 1, got " + spec.maxAwards());
        }
        return problems;
    }

    static List<String> problems(MechanismSpec.Auction spec) {
        List<String> problems = new ArrayList<>(spec.bidders().problems(spec.kind()));
        if (spec.bidDeadline().isNegative() || spec.bidDeadline().isZero()) {
            problems.add(spec.kind() + ": bidDeadline must be positive, got " + spec.bidDeadline());
        }
        if (spec.maxRounds() < 1) {
            problems.add(spec.kind() + ": maxRounds must be at least 1, got " + spec.maxRounds());
        }
        if (spec.type() == AuctionType.ENGLISH && spec.increment().signum() <= 0) {
            problems.add(spec.kind() + ": increment must be positive, got "
                    + spec.increment().toPlainString());
        }
        if (spec.reserve().signum() < 0) {
            problems.add(spec.kind() + ": reserve must not be negative, got "
                    + spec.reserve().toPlainString());
        }
        return problems;
    }

    static List<String> problems(MechanismSpec.Debate spec) {
        List<String> problems = new ArrayList<>();
        if (spec.debaters().size() < 2) {
            problems.add("debate: debaters must name at least two agents, got "
                    + spec.debaters().size());
        }
        problems.addAll(repeated("debate", "debaters", spec.debaters()));
        problems.addAll(repeated("debate", "voters", spec.voters()));
        if (spec.rounds() < 1) {
            problems.add("debate: rounds must be at least 1, got " + spec.rounds());
        }
        if (spec.verdict() == Verdict.JUDGE && spec.judge() == null) {
            problems.add("debate: verdict 'judge' needs a judge agent");
        }
        if (spec.verdict() != Verdict.WEIGHTED && !spec.weights().isEmpty()) {
            problems.add("debate: weights apply only to verdict 'weighted'");
        }
        spec.weights().forEach((voter, weight) -> {
            if (weight.signum() <= 0) {
                problems.add("debate: the weight of '" + voter + "' must be positive, got " + weight);
            }
            if (!spec.effectiveVoters().contains(voter)) {
                problems.add("debate: a weight is given for '" + voter + "', who does not vote");
            }
        });
        return problems;
    }

    static List<String> problems(MechanismSpec.Blackboard spec) {
        List<String> problems = new ArrayList<>();
        if (spec.sources().isEmpty()) {
            problems.add("blackboard: sources must name at least one agent");
        }
        problems.addAll(repeated("blackboard", "sources", spec.referencedAgents()));
        if (spec.maxActivations() < 1) {
            problems.add("blackboard: maxActivations must be at least 1, got " + spec.maxActivations());
        }
        Set<String> written = new HashSet<>();
        written.add(MechanismSpec.Blackboard.TASK);
        spec.sources().forEach(s -> written.add(s.writes()));
        if (spec.goal().equals(MechanismSpec.Blackboard.TASK)) {
            problems.add("blackboard: the goal must not be '" + MechanismSpec.Blackboard.TASK
                    + "': the board starts with the task, so the" + " run would end before any source runs");
        } else if (!written.contains(spec.goal())) {
            problems.add("blackboard: no source writes the goal kind '" + spec.goal() + "'; sources write "
                    + new java.util.TreeSet<>(written));
        }
        for (KnowledgeSource source : spec.sources()) {
            if (source.triggers().isEmpty()) {
                problems.add("blackboard: source '" + source.agent() + "' has no triggers, so it never runs");
            }
            for (String trigger : source.triggers()) {
                if (!written.contains(trigger)) {
                    problems.add("blackboard: source '" + source.agent() + "' triggers on '" + trigger
                            + "', which no source writes; kinds written: " + new java.util.TreeSet<>(written));
                }
            }
        }
        return problems;
    }

    static List<String> eligibility(MechanismSpec.Eligibility spec, String kind) {
        int forms =
                (spec.agents().isEmpty() ? 0 : 1) + (spec.role() == null ? 0 : 1) + (spec.capability() == null ? 0 : 1);
        if (forms != 1) {
            return List.of(kind + ": eligibility must name exactly one of agents, role or capability");
        }
        return repeated(kind, "eligible agents", spec.agents());
    }

    static List<String> eligibility(MechanismSpec.Eligibility spec, String kind, List<Member> members) {
        if (spec.select(members).isEmpty()) {
            return List.of(kind + ": no member is eligible ("
                    + (spec.role() != null ? "role '" + spec.role() + "'" : "capability '" + spec.capability() + "'")
                    + "); give some member that " + (spec.role() != null ? "role" : "capability"));
        }
        return List.of();
    }

    static List<String> repeated(String kind, String what, List<String> ids) {
        Set<String> seen = new HashSet<>();
        Set<String> repeated = new LinkedHashSet<>();
        for (String id : ids) {
            if (!seen.add(id)) {
                repeated.add(id);
            }
        }
        return repeated.stream()
                .map(id -> kind + ": agent '" + id + "' appears more than once in " + what)
                .toList();
    }
}
