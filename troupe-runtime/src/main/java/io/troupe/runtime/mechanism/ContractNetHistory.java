package io.troupe.runtime.mechanism;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.team.ConversationView;
import io.troupe.api.team.DecisionRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A contract-net conversation so far, folded from the view's messages and decisions in one pass: the manager's plan
 * and combination, and for each (sub)task its job of CFP rounds, awards, ACCEPTs and their outcomes. Built afresh on
 * every call of the mechanism; never kept between calls.
 *
 * <p>Jobs run one after another: a CFP starts a new job when there is none yet or the current one is done (its last
 * contractor answered INFORM); otherwise it is a new round of the current job (a re-auction). The manager's first
 * REQUEST is the plan, its second the combination.
 */
final class ContractNetHistory {
    @Nullable
    Message plan;

    @Nullable
    Message planAnswer;

    @Nullable
    Message combine;

    @Nullable
    Message combineAnswer;

    final List<Job> jobs = new ArrayList<>();

    /** One (sub)task contracted out: its rounds, awards and contracts, in order. */
    static final class Job {
        final List<Round> rounds = new ArrayList<>();
        final List<DecisionRecord> awards = new ArrayList<>();
        final List<Message> accepts = new ArrayList<>();
        final Map<String, Message> outcomes = new HashMap<>();

        @Nullable
        DecisionRecord payment;

        /** The answer of the last contractor, or null while there is none. */
        @Nullable
        Message outcome() {
            return accepts.isEmpty() ? null : outcomes.get(accepts.getLast().id());
        }

        /** Whether the last contractor delivered. */
        boolean done() {
            Message outcome = outcome();
            return outcome != null && outcome.performative() == Performative.INFORM;
        }

        /** The contractors that answered anything but INFORM, with what they said, in order. */
        Map<String, String> failures() {
            Map<String, String> failed = new java.util.LinkedHashMap<>();
            for (Message accept : accepts) {
                Message outcome = outcomes.get(accept.id());
                if (outcome != null && outcome.performative() != Performative.INFORM) {
                    failed.put(Markets.receivers(accept).getFirst(), outcome.performative() + ": " + outcome.body());
                }
            }
            return failed;
        }

        /** The round a decision is about. */
        Round roundOf(DecisionRecord award) {
            for (Round round : rounds) {
                if (round.cfp.id().equals(award.subject())) {
                    return round;
                }
            }
            throw new IllegalStateException("award " + award + " names no CFP of its job");
        }
    }

    /** One CFP of a job, its answers, and the judge's query and answer under llm-judge. */
    static final class Round {
        final Message cfp;
        final List<Message> replies = new ArrayList<>();
        final List<DecisionRecord> awards = new ArrayList<>();

        @Nullable
        Message judgeQuery;

        @Nullable
        Message judgeAnswer;

        Round(Message cfp) {
            this.cfp = cfp;
        }
    }

    private ContractNetHistory() {}

    static ContractNetHistory of(ConversationView view) {
        ContractNetHistory history = new ContractNetHistory();
        Map<String, Round> rounds = new HashMap<>();
        Map<String, Job> roundJobs = new HashMap<>();
        Map<String, Round> queries = new HashMap<>();
        Map<String, Job> accepts = new HashMap<>();
        for (Message message : view.messages()) {
            if (message.sender().equals(Message.COORDINATOR)) {
                history.sent(message, rounds, roundJobs, queries, accepts);
                continue;
            }
            String to = message.inReplyTo();
            if (to == null) {
                continue;
            }
            if (rounds.containsKey(to)) {
                rounds.get(to).replies.add(message);
            } else if (queries.containsKey(to)) {
                Round round = queries.get(to);
                round.judgeAnswer = round.judgeAnswer == null ? message : round.judgeAnswer;
            } else if (accepts.containsKey(to)) {
                accepts.get(to).outcomes.putIfAbsent(to, message);
            } else if (history.plan != null && to.equals(history.plan.id()) && history.planAnswer == null) {
                history.planAnswer = message;
            } else if (history.combine != null && to.equals(history.combine.id()) && history.combineAnswer == null) {
                history.combineAnswer = message;
            }
        }
        for (DecisionRecord decision : view.decisions()) {
            String subject = decision.subject();
            if (decision.kind().equals(ContractNet.AWARD) && subject != null && rounds.containsKey(subject)) {
                rounds.get(subject).awards.add(decision);
                roundJobs.get(subject).awards.add(decision);
            } else if (decision.kind().equals(ContractNet.PAYMENT) && subject != null && accepts.containsKey(subject)) {
                accepts.get(subject).payment = decision;
            }
        }
        return history;
    }

    private void sent(
            Message message,
            Map<String, Round> rounds,
            Map<String, Job> roundJobs,
            Map<String, Round> queries,
            Map<String, Job> accepts) {
        switch (message.performative()) {
            case CFP -> {
                if (jobs.isEmpty() || jobs.getLast().done()) {
                    jobs.add(new Job());
                }
                Round round = new Round(message);
                jobs.getLast().rounds.add(round);
                rounds.put(message.id(), round);
                roundJobs.put(message.id(), jobs.getLast());
            }
            case QUERY -> {
                Round round = jobs.getLast().rounds.getLast();
                round.judgeQuery = message;
                queries.put(message.id(), round);
            }
            case ACCEPT -> {
                jobs.getLast().accepts.add(message);
                accepts.put(message.id(), jobs.getLast());
            }
            case REQUEST -> {
                if (plan == null) {
                    plan = message;
                } else {
                    combine = message;
                }
            }
            default -> {}
        }
    }
}
