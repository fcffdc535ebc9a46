package io.troupe.runtime.mechanism;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.ConversationView;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.NextAction;
import io.troupe.runtime.mechanism.ContractNetHistory.Job;
import java.util.List;

/**
 * The contract-net protocol: the task (or each of the manager's subtasks in turn) goes out as a CFP, the best bid is
 * awarded, and the contractor is paid its bid when it delivers. Ranking rules are in {@link ContractNetRules}.
 * Stateless and thread-safe: every call rebuilds the conversation from the view ({@link ContractNetHistory}).
 *
 * <p>The protocol of one (sub)task, in order:
 *
 * <ol>
 *   <li>{@code @team→a,b,c CFP}: one message to every eligible agent, in eligibility order, with a deadline and
 *       {@link ContractNetRules#BID_SCHEMA} as the response schema. Each answers PROPOSE (its bid) or REFUSE. A late
 *       answer, no answer, or an unreadable bid counts as a refusal.
 *   <li>Under llm-judge with two or more valid bids: {@code @team→judge QUERY} with the valid bids; an unusable answer
 *       falls back to best-value, and the decision's rule says so.
 *   <li>An {@code award} decision (subject: the CFP) with every bidder as an option, excluded ones with the reason.
 *       With no valid bid it chooses nobody and the run fails, naming why each bidder was excluded.
 *   <li>{@code @team→winner ACCEPT}, in reply to its PROPOSE, with the task. The other bids stay open as fallbacks
 *       while the contractor works: nobody is told REJECT yet.
 *   <li>On the contractor's INFORM: a {@code payment} decision (subject: the ACCEPT) in which {@code @team} pays the
 *       contractor its bid's cost (no payment when the cost is 0); then {@code @team→x REJECT} to every other bidder
 *       that proposed on time, in eligibility order, in reply to its PROPOSE. The INFORM is the (sub)task's result.
 *   <li>On FAILURE (or any other answer): with {@code next-best}, a new {@code award} decision on the same CFP (the
 *       failed contractor excluded) and an ACCEPT to the next-ranked bidder; with {@code reauction}, REJECT to the
 *       round's open bids and a new CFP to the eligible agents that have not failed this task. Either way, at most
 *       {@code maxAwards} awards per (sub)task before the run fails.
 * </ol>
 *
 * <p>With a manager: first {@code @team→manager REQUEST} asking for {@code {"subtasks": [...]}}
 * ({@link ContractNetRules#PLAN_SCHEMA}); then the protocol above for each subtask in order (a contractor's ACCEPT
 * also carries the earlier subtasks' results); then {@code @team→manager REQUEST} with every subtask's result, whose
 * INFORM is the run's result.
 */
public final class ContractNet implements Collaboration {
    /** The JSON schema of a bid: {@code cost}, {@code eta}, {@code confidence} and {@code rationale}. */
    public static final String BID_SCHEMA = ContractNetRules.BID_SCHEMA;

    /** The JSON schema of an LLM judge's verdict among {@code bidders}. */
    public static String judgeSchema(List<String> bidders) {
        return ContractNetRules.judgeSchema(bidders);
    }

    /** The kind of the decision that awards a (sub)task. */
    public static final String AWARD = "award";
    /** The kind of the decision that pays a contractor. */
    public static final String PAYMENT = "payment";

    private final MechanismSpec.ContractNet spec;

    public ContractNet(MechanismSpec.ContractNet spec) {
        this.spec = spec;
    }

    @Override
    public NextAction next(ConversationView view) {
        if (!view.awaitingReply().isEmpty()) {
            return new NextAction.Await();
        }
        ContractNetHistory history = ContractNetHistory.of(view);
        List<String> subtasks = List.of(view.task());
        String manager = spec.manager();
        if (manager != null) {
            if (history.plan == null) {
                return plan(view, manager);
            }
            Message answer = history.planAnswer;
            if (answer == null || answer.performative() != Performative.INFORM) {
                return new NextAction.Fail("contract-net: manager '" + manager + "' could not split the task"
                        + (answer == null ? "" : ": " + answer.body()));
            }
            switch (ContractNetRules.subtasks(answer.payload())) {
                case Parsed.Ok<List<String>> ok -> subtasks = ok.value();
                case Parsed.Invalid<List<String>> invalid -> {
                    return new NextAction.Fail(
                            "contract-net: manager '" + manager + "' gave an unusable plan: " + invalid.problem());
                }
            }
        }
        Contracts contracts = new Contracts(view, spec, subtasks, history);
        if (history.jobs.isEmpty()) {
            return contracts.callForProposals(0, eligible(view));
        }
        int index = history.jobs.size() - 1;
        Job job = history.jobs.getLast();
        if (!job.done()) {
            return contracts.advance(job, index);
        }
        NextAction settlement = contracts.settle(job, index);
        if (settlement != null) {
            return settlement;
        }
        if (history.jobs.size() < subtasks.size()) {
            return contracts.callForProposals(history.jobs.size(), eligible(view));
        }
        Message result = java.util.Objects.requireNonNull(job.outcome());
        if (manager == null) {
            return new NextAction.Finish(result.body(), result.payload());
        }
        return combine(view, manager, subtasks, history);
    }

    private List<String> eligible(ConversationView view) {
        return spec.eligibility().select(view.team().members());
    }

    private static NextAction plan(ConversationView view, String manager) {
        Message request = view.newMessage()
                .to(manager)
                .performative(Performative.REQUEST)
                .body("Break this task into subtasks (1 to " + ContractNetRules.MAX_SUBTASKS + "), each one a single"
                        + " agent can do on its own, in the order they should be done. Each subtask is contracted out"
                        + " in turn, and you will then combine their results.\n\nTask: " + view.task())
                .build();
        return NextAction.invoke(NextAction.Invocation.structured(request, ContractNetRules.PLAN_SCHEMA));
    }

    private static NextAction combine(
            ConversationView view, String manager, List<String> subtasks, ContractNetHistory history) {
        if (history.combine == null) {
            StringBuilder body = new StringBuilder(
                            "Every subtask is done. Combine their results into the answer to the task.\n\nTask: ")
                    .append(view.task());
            for (int i = 0; i < subtasks.size(); i++) {
                Message result =
                        java.util.Objects.requireNonNull(history.jobs.get(i).outcome());
                body.append("\n\nSubtask ")
                        .append(i + 1)
                        .append(": ")
                        .append(subtasks.get(i))
                        .append("\nResult (from ")
                        .append(result.sender())
                        .append("): ")
                        .append(result.body());
            }
            Message request = view.newMessage()
                    .to(manager)
                    .performative(Performative.REQUEST)
                    .body(body.toString())
                    .build();
            return NextAction.invoke(NextAction.Invocation.of(request));
        }
        Message answer = history.combineAnswer;
        if (answer == null || answer.performative() != Performative.INFORM) {
            return new NextAction.Fail("contract-net: manager '" + manager + "' could not combine the subtasks'"
                    + " results" + (answer == null ? "" : ": " + answer.body()));
        }
        return new NextAction.Finish(answer.body(), answer.payload());
    }
}
