package io.troupe.runtime.mechanism;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.team.ConversationView;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.MechanismSpec.Scoring;
import io.troupe.api.team.NextAction;
import io.troupe.runtime.mechanism.ContractNetHistory.Job;
import io.troupe.runtime.mechanism.ContractNetHistory.Round;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The steps of contracting out one (sub)task under {@link ContractNet}: the CFP, the award (and the judge's query),
 * the ACCEPT, the re-award or re-auction after a failure, and the settlement. Made afresh for each call of the
 * mechanism from its {@link ContractNetHistory}; never kept between calls.
 */
final class Contracts {
    private final ConversationView view;
    private final MechanismSpec.ContractNet spec;
    private final List<String> subtasks;
    private final ContractNetHistory history;
    private final String rule;

    Contracts(
            ConversationView view, MechanismSpec.ContractNet spec, List<String> subtasks, ContractNetHistory history) {
        this.view = view;
        this.spec = spec;
        this.subtasks = subtasks;
        this.history = history;
        this.rule = ContractNetRules.ruleName(spec.scoring());
    }

    /** "the task" or "subtask 2 of 3", for reasons. */
    private String label(int index) {
        return subtasks.size() == 1 && spec.manager() == null
                ? "the task"
                : "subtask " + (index + 1) + " of " + subtasks.size();
    }

    NextAction callForProposals(int index, List<String> bidders) {
        String part = subtasks.size() == 1 && spec.manager() == null
                ? ""
                : " for subtask " + (index + 1) + " of " + subtasks.size() + " of: " + view.task();
        Message cfp = view.newMessage()
                .to(bidders.toArray(String[]::new))
                .performative(Performative.CFP)
                .deadline(view.now().plus(spec.bidDeadline()))
                .body("Call for proposals" + part + ".\n\nTask: " + subtasks.get(index) + "\n\nBid to do this"
                        + " task: your price in US dollars (cost), the time you need (eta, e.g. \"2h\"), how sure"
                        + " you are to succeed, from 0 to 1 (confidence), and why (rationale). If you cannot do"
                        + " it, answer with \"refuse\": true. Late bids count as refusals.")
                .build();
        return NextAction.invoke(NextAction.Invocation.structured(cfp, ContractNetRules.BID_SCHEMA));
    }

    /** The next step of a job whose contractor has not delivered yet. */
    NextAction advance(Job job, int index) {
        Round round = job.rounds.getLast();
        if (round.awards.isEmpty()) {
            return award(round, index);
        }
        DecisionRecord award = job.awards.getLast();
        String contractor = award.chosen();
        if (contractor == null) {
            return new NextAction.Fail("contract-net: " + label(index) + " could not be awarded: " + award.reason()
                    + " (" + Markets.exclusions(award) + ")");
        }
        if (job.accepts.size() < job.awards.size()) {
            return accept(job.roundOf(award), contractor, index);
        }
        Message outcome = job.outcome();
        if (outcome == null) {
            return new NextAction.Fail(
                    "contract-net: contractor '" + contractor + "' ended its turn without an answer");
        }
        Map<String, String> failures = job.failures();
        if (job.awards.size() >= spec.maxAwards()) {
            return new NextAction.Fail("contract-net: " + label(index) + " failed after " + job.awards.size()
                    + " award" + (job.awards.size() == 1 ? "" : "s") + ", the most maxAwards allows: "
                    + describe(failures));
        }
        return switch (spec.onFailure()) {
            case NEXT_BEST -> nextBest(round, contractor, failures);
            case REAUCTION -> reauction(job, index, failures);
        };
    }

    /** How a tie on score with {@code best} was broken, or "" when nobody scored the same. */
    private String ties(Bid best, List<Bid> bids) {
        java.math.BigDecimal top = ContractNetRules.score(best, spec.scoring());
        List<String> tied = bids.stream()
                .filter(b -> b != best)
                .filter(b -> {
                    java.math.BigDecimal score = ContractNetRules.score(b, spec.scoring());
                    return top == null ? score == null : score != null && score.compareTo(top) == 0;
                })
                .map(Bid::agent)
                .toList();
        if (tied.isEmpty()) {
            return "";
        }
        return " (the same score as " + String.join(", ", tied) + "; ties go to "
                + (spec.scoring() == Scoring.LOWEST_COST ? "the higher confidence, then " : "")
                + "the first in eligibility order)";
    }

    /** The award decision of a round with no award yet, or the judge's query that comes first. */
    private NextAction award(Round round, int index) {
        List<Answer<Bid>> answers = answers(round);
        List<Bid> bids = valid(answers, Map.of());
        if (bids.isEmpty()) {
            return new NextAction.Decide(
                    record(round, answers, Map.of(), spec.scoring(), rule, null, "no valid bid for " + label(index)));
        }
        if (spec.scoring() != Scoring.LLM_JUDGE) {
            Bid best = ContractNetRules.rank(bids, spec.scoring()).getFirst();
            return new NextAction.Decide(record(
                    round,
                    answers,
                    Map.of(),
                    spec.scoring(),
                    rule,
                    best.agent(),
                    best.agent() + " has the best bid by " + rule + ties(best, bids)));
        }
        String judge = java.util.Objects.requireNonNull(spec.judge());
        List<String> bidders = bids.stream().map(Bid::agent).toList();
        if (bids.size() == 1) {
            return new NextAction.Decide(record(
                    round,
                    answers,
                    Map.of(),
                    Scoring.LLM_JUDGE,
                    rule,
                    bidders.getFirst(),
                    bidders.getFirst() + " has the only valid bid, so the judge was not asked"));
        }
        if (round.judgeQuery == null) {
            return query(judge, index, bids);
        }
        Message answer = round.judgeAnswer;
        String problem;
        if (answer == null || answer.performative() != Performative.INFORM) {
            problem = answer == null ? "no answer" : answer.performative() + ": " + answer.body();
        } else {
            switch (ContractNetRules.verdict(answer.payload(), bidders)) {
                case Parsed.Ok<ContractNetRules.Verdict> ok -> {
                    return new NextAction.Decide(record(
                            round,
                            answers,
                            Map.of(),
                            Scoring.LLM_JUDGE,
                            rule,
                            ok.value().winner(),
                            "judge '" + judge + "' chose " + ok.value().winner() + ": "
                                    + ok.value().reason()));
                }
                case Parsed.Invalid<ContractNetRules.Verdict> invalid -> problem = invalid.problem();
            }
        }
        Bid best = ContractNetRules.rank(bids, Scoring.BEST_VALUE).getFirst();
        return new NextAction.Decide(record(
                round,
                answers,
                Map.of(),
                Scoring.BEST_VALUE,
                "llm-judge, fell back to best-value",
                best.agent(),
                "judge '" + judge + "' gave no usable" + " answer (" + problem + "), so best-value chose "
                        + best.agent()));
    }

    private NextAction query(String judge, int index, List<Bid> bids) {
        StringBuilder body = new StringBuilder("Pick the bid that should win the contract for this task.\n\nTask: ")
                .append(subtasks.get(index))
                .append("\n\nBids (cost in US dollars, confidence from 0 to 1):");
        for (Bid bid : bids) {
            body.append("\n- ").append(bid.agent()).append(": ").append(bid.json());
        }
        Message query = view.newMessage()
                .to(judge)
                .performative(Performative.QUERY)
                .body(body.toString())
                .build();
        List<String> bidders = bids.stream().map(Bid::agent).toList();
        return NextAction.invoke(NextAction.Invocation.structured(query, ContractNetRules.judgeSchema(bidders)));
    }

    /** Under next-best: a new award on the same round, without the failed contractors. */
    private NextAction nextBest(Round round, String failed, Map<String, String> failures) {
        List<Answer<Bid>> answers = answers(round);
        Scoring scoring = spec.scoring() == Scoring.LLM_JUDGE ? Scoring.BEST_VALUE : spec.scoring();
        Optional<Bid> next = ContractNetRules.best(valid(answers, failures), scoring, failures.keySet());
        String ranked = scoring == spec.scoring() ? rule : rule + ", next best by best-value";
        return new NextAction.Decide(record(
                round,
                answers,
                failures,
                scoring,
                ranked,
                next.map(Bid::agent).orElse(null),
                next.map(b -> failed + " failed, so " + b.agent() + " has the next-best bid")
                        .orElse(failed + " failed and no other valid bid is left")));
    }

    /** Under reauction: REJECT the round's open bids, then a new CFP to those that have not failed. */
    private NextAction reauction(Job job, int index, Map<String, String> failures) {
        List<Message> rejections = rejections(job, "The task was put out to tender again.");
        if (!rejections.isEmpty()) {
            return new NextAction.Notify(rejections);
        }
        List<String> bidders = spec.eligibility().select(view.team().members()).stream()
                .filter(a -> !failures.containsKey(a))
                .toList();
        if (bidders.isEmpty()) {
            return new NextAction.Fail(
                    "contract-net: every eligible agent failed " + label(index) + ": " + describe(failures));
        }
        return callForProposals(index, bidders);
    }

    private NextAction accept(Round round, String contractor, int index) {
        Message proposal = Markets.proposals(view, round.cfp).get(contractor);
        StringBuilder body = new StringBuilder(
                        "Your proposal is accepted. Do this task and answer with the" + " result.\n\nTask: ")
                .append(subtasks.get(index));
        if (index > 0) {
            body.append("\n\nIt is subtask ")
                    .append(index + 1)
                    .append(" of ")
                    .append(subtasks.size())
                    .append(" of: ")
                    .append(view.task())
                    .append("\nResults of the earlier subtasks:");
            for (int i = 0; i < index; i++) {
                Message result =
                        java.util.Objects.requireNonNull(history.jobs.get(i).outcome());
                body.append("\n").append(i + 1).append(". ").append(result.body());
            }
        }
        Message accept = view.newMessage()
                .to(contractor)
                .performative(Performative.ACCEPT)
                .inReplyTo(java.util.Objects.requireNonNull(proposal).id())
                .body(body.toString())
                .build();
        return NextAction.invoke(NextAction.Invocation.of(accept));
    }

    /** After delivery: the payment decision, then REJECT to the open bids; null once both are done. */
    @Nullable
    NextAction settle(Job job, int index) {
        if (job.payment == null) {
            DecisionRecord award = job.awards.getLast();
            Round round = job.roundOf(award);
            String contractor = java.util.Objects.requireNonNull(award.chosen());
            Bid bid = valid(answers(round), Map.of()).stream()
                    .filter(b -> b.agent().equals(contractor))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "contractor '" + contractor + "' has no valid bid in the round it was awarded"));
            String reason = contractor + " delivered " + label(index) + "; @team pays its bid cost "
                    + bid.cost().toPlainString();
            return new NextAction.Decide(new DecisionRecord(
                    ContractNet.PAYMENT,
                    job.accepts.getLast().id(),
                    "bid cost",
                    List.of(DecisionRecord.Option.scored(contractor, bid.json(), bid.cost())),
                    contractor,
                    reason,
                    Ledger.pay(Message.COORDINATOR, contractor, bid.cost(), "contract for message " + round.cfp.id())));
        }
        List<Message> rejections = rejections(job, "Another bid won the contract.");
        return rejections.isEmpty() ? null : new NextAction.Notify(rejections);
    }

    /** REJECTs to every on-time proposal of the job not yet rejected, except those awarded in their round. */
    private List<Message> rejections(Job job, String body) {
        List<Message> open = new ArrayList<>();
        for (Round round : job.rounds) {
            List<String> awarded = round.awards.stream()
                    .map(DecisionRecord::chosen)
                    .filter(java.util.Objects::nonNull)
                    .toList();
            Markets.proposals(view, round.cfp).forEach((agent, proposal) -> {
                if (!awarded.contains(agent)) {
                    open.add(proposal);
                }
            });
        }
        return Markets.rejections(view, open, body);
    }

    private List<Answer<Bid>> answers(Round round) {
        return Answer.classify(Markets.receivers(round.cfp), round.replies, view::isLate, Bid::parse);
    }

    private static List<Bid> valid(List<Answer<Bid>> answers, Map<String, String> failures) {
        List<Bid> bids = new ArrayList<>();
        for (Answer<Bid> answer : answers) {
            if (answer instanceof Answer.Valid<Bid> valid && !failures.containsKey(valid.agent())) {
                bids.add(valid.bid());
            }
        }
        return bids;
    }

    /** The award record of a round: every bidder, scored or excluded (failed contractors too), and the choice. */
    private static DecisionRecord record(
            Round round,
            List<Answer<Bid>> answers,
            Map<String, String> failures,
            Scoring scoring,
            String rule,
            @Nullable String chosen,
            String reason) {
        List<DecisionRecord.Option> options = new ArrayList<>();
        for (Answer<Bid> answer : answers) {
            String failure = failures.get(answer.agent());
            if (failure != null && answer instanceof Answer.Valid<Bid> valid) {
                options.add(DecisionRecord.Option.excluded(
                        answer.agent(), valid.bid().json(), "failed the task: " + failure));
            } else if (answer instanceof Answer.Valid<Bid> valid) {
                options.add(answer.option(ContractNetRules.score(valid.bid(), scoring)));
            } else {
                options.add(answer.option(null));
            }
        }
        return DecisionRecord.of(ContractNet.AWARD, round.cfp.id(), rule, options, chosen, reason);
    }

    private static String describe(Map<String, String> failures) {
        List<String> parts = new ArrayList<>();
        failures.forEach((agent, what) -> parts.add(agent + " answered " + what));
        return String.join("; ", parts);
    }
}
