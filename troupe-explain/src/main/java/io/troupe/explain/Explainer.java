package io.troupe.explain;

import io.troupe.api.budget.Budget;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.DecisionRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Explains a run from its journal: why each decision was taken (speaker choices, awards and auctions with every score
 * term and the margin, votes, verdicts, handoffs, activations), what the interception seam blocked, changed or held,
 * what people approved, what was refused, and why the run stopped. It reads the decision records and verdicts as
 * journaled and never re-runs anything. Stateless and thread-safe.
 */
public final class Explainer {
    private Explainer() {}

    /** Every explanation of {@code transcript}'s run, in journal order. */
    public static RunExplanation explain(Transcript transcript) {
        List<JournalEvent> events = transcript.events();
        List<CallTime> calls = CallTime.of(transcript);
        Map<Integer, CallTime> callEndingAt = new HashMap<>();
        calls.forEach(call -> callEndingAt.put(call.seq(), call));
        List<Explanation> explanations = new ArrayList<>();
        Map<String, JournalEvent.Intercepted> held = new HashMap<>();
        String team = "";
        String mechanism = "";
        Budget budget = Budget.DEFAULT;
        int turns = 0;
        for (int i = 0; i < events.size(); i++) {
            int seq = i + 1;
            switch (events.get(i)) {
                case JournalEvent.RunStarted started -> {
                    team = started.team().name();
                    mechanism = Words.mechanism(started.team().mechanism());
                    budget = started.team().budget();
                }
                case JournalEvent.DecisionRecorded recorded -> explanations.add(decision(seq, recorded.decision()));
                case JournalEvent.Intercepted intercepted -> {
                    Explanation explanation = InterceptionExplainer.interception(seq, intercepted);
                    if (explanation != null) {
                        explanations.add(explanation);
                    }
                    held.put(intercepted.key(), intercepted);
                }
                case JournalEvent.ApprovalDecided decided ->
                    explanations.add(InterceptionExplainer.approval(seq, decided, held.get(decided.key())));
                case JournalEvent.ToolCallRejected rejected ->
                    explanations.add(new Explanation(
                            seq,
                            Explanation.Kind.REFUSAL,
                            rejected.agentId(),
                            rejected.agentId() + "'s call of tool '"
                                    + rejected.call().name() + "' was refused: " + rejected.reason(),
                            List.of(
                                    "arguments: " + Words.clip(rejected.call().arguments(), 200),
                                    "the reason went back to the model to repair the call (refusal "
                                            + rejected.attempt() + " in a row)"),
                            null));
                case JournalEvent.AnswerRejected rejected ->
                    explanations.add(new Explanation(
                            seq,
                            Explanation.Kind.REFUSAL,
                            rejected.agentId(),
                            rejected.agentId() + "'s answer was refused: " + rejected.reason(),
                            List.of("the reason went back to the model to answer again (refusal " + rejected.attempt()
                                    + " in a row)"),
                            null));
                case JournalEvent.LlmFailed failed ->
                    explanations.add(new Explanation(
                            seq,
                            Explanation.Kind.MODEL_FAILURE,
                            failed.agentId(),
                            failed.agentId() + "'s model call (step " + failed.step() + ") failed: " + failed.error(),
                            failure(failed, callEndingAt.get(seq)),
                            null));
                case JournalEvent.LlmReissued reissued -> {
                    turns++;
                    explanations.add(new Explanation(
                            seq,
                            Explanation.Kind.REISSUE,
                            reissued.agentId(),
                            "step " + reissued.step() + " of " + reissued.agentId()
                                    + " was issued again after a restart, because no answer was journaled for it",
                            List.of("the abandoned attempt was charged "
                                    + reissued.charged().inputTokens()
                                    + " input tokens; the call is still one turn"),
                            null));
                }
                case JournalEvent.RunResumed resumed ->
                    explanations.add(new Explanation(
                            seq,
                            Explanation.Kind.RESUME,
                            null,
                            "the run went on at " + resumed.at() + " after "
                                    + resumed.downtime().toMillis()
                                    + " ms stopped or waiting for a person (its process had stopped, or nothing but a"
                                    + " person's decision was left to do)",
                            List.of("that time does not count against the run's wall-clock budget"),
                            null));
                case JournalEvent.DeadlinePassed passed ->
                    explanations.add(new Explanation(
                            seq,
                            Explanation.Kind.DEADLINE,
                            null,
                            "the deadline of message " + passed.messageId() + " passed at " + passed.at()
                                    + " with answers outstanding",
                            List.of("calls still working on it were stopped; a late answer counts as a refusal"),
                            null));
                case JournalEvent.LlmCompleted completed -> turns++;
                case JournalEvent.RunFinished finished ->
                    explanations.add(StopExplainer.stop(
                            seq,
                            finished,
                            budget,
                            turns,
                            transcript.between(0, i).orElse(null),
                            calls));
                default -> {}
            }
        }
        Duration took = events.isEmpty()
                ? null
                : transcript
                        .between(0, events.size() - 1)
                        .map(all -> all.minus(CallTime.downtime(events, 0, events.size() - 1)))
                        .orElse(null);
        return new RunExplanation(
                transcript.conversationId(), team, mechanism, events.size(), explanations, took, calls);
    }

    private static List<String> failure(JournalEvent.LlmFailed failed, @Nullable CallTime time) {
        List<String> details = new ArrayList<>();
        details.add(
                failed.retriable()
                        ? "a passing failure (rate limit, server error, timeout) that outlasted every retry and fallback"
                        : "a permanent failure: retrying would not help");
        if (time != null) {
            details.add("it gave up " + CallTime.words(time.took()) + " after the call was journaled");
        }
        return details;
    }

    /** The explanation of one decision record at {@code seq}. */
    public static Explanation decision(int seq, DecisionRecord decision) {
        return DecisionExplainer.decision(seq, decision);
    }
}
