package io.troupe.explain;

import io.troupe.api.model.Usage;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.DecisionRecord;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Two runs aligned event by event: where they first diverge, said in one line ("event 42: ben won instead of ann"),
 * and what each agent spent in each. Events are compared by what they mean (who sent what kind of message to whom,
 * which decision chose whom, which tool was called, how the run ended), not by ids, timestamps or generated text, so
 * that two runs of the same team on the same task line up until a choice differs.
 *
 * @param left the first run's id
 * @param right the second run's id
 * @param aligned how many events from the start mean the same in both runs
 * @param divergence the first difference, or null when the runs mean the same throughout
 * @param agents each agent's figures in both runs, in order of first appearance
 */
public record RunDiff(
        String left, String right, int aligned, @Nullable Divergence divergence, List<AgentDelta> agents) {
    public RunDiff {
        Objects.requireNonNull(left, "RunDiff left");
        Objects.requireNonNull(right, "RunDiff right");
        agents = List.copyOf(agents);
    }

    /**
     * The first event at which the runs differ.
     *
     * @param seq its sequence number (from 1) in both runs
     * @param headline the difference in one line, such as {@code event 42: ben won instead of ann}
     * @param leftEvent what the first run did there, or null when it had ended
     * @param rightEvent what the second run did there, or null when it had ended
     */
    public record Divergence(
            int seq,
            String headline,
            @Nullable String leftEvent,
            @Nullable String rightEvent) {}

    /**
     * One agent's figures in both runs: tokens, cost and calls, and the differences (right minus left).
     *
     * @param agent the agent's id
     */
    public record AgentDelta(
            String agent,
            long leftTokens,
            long rightTokens,
            BigDecimal leftCost,
            BigDecimal rightCost,
            int leftCalls,
            int rightCalls) {
        /** Right minus left tokens. */
        public long tokenDelta() {
            return rightTokens - leftTokens;
        }

        /** Right minus left cost. */
        public BigDecimal costDelta() {
            return rightCost.subtract(leftCost);
        }

        /** Right minus left model and tool calls. */
        public int callDelta() {
            return rightCalls - leftCalls;
        }
    }

    /** Aligns {@code left} and {@code right}. */
    public static RunDiff of(Transcript left, Transcript right) {
        List<JournalEvent> a = left.events();
        List<JournalEvent> b = right.events();
        int common = Math.min(a.size(), b.size());
        int aligned = 0;
        while (aligned < common && signature(a.get(aligned)).equals(signature(b.get(aligned)))) {
            aligned++;
        }
        Divergence divergence = null;
        if (aligned < a.size() || aligned < b.size()) {
            JournalEvent x = aligned < a.size() ? a.get(aligned) : null;
            JournalEvent y = aligned < b.size() ? b.get(aligned) : null;
            divergence = new Divergence(
                    aligned + 1,
                    "event " + (aligned + 1) + ": " + headline(x, y, left.conversationId(), right.conversationId()),
                    x == null ? null : describe(x),
                    y == null ? null : describe(y));
        }
        return new RunDiff(left.conversationId(), right.conversationId(), aligned, divergence, deltas(left, right));
    }

    private static String headline(@Nullable JournalEvent x, @Nullable JournalEvent y, String leftId, String rightId) {
        if (x instanceof JournalEvent.DecisionRecorded dx
                && y instanceof JournalEvent.DecisionRecorded dy
                && dx.decision().kind().equals(dy.decision().kind())
                && !Objects.equals(dx.decision().chosen(), dy.decision().chosen())) {
            DecisionRecord right = dy.decision();
            String verb = switch (right.kind()) {
                case "speaker" -> " spoke";
                case "handoff" -> " was handed the conversation";
                case "activation" -> " was activated";
                case "round" -> " led the round";
                default -> " won";
            };
            return (right.chosen() == null ? "nobody" : right.chosen()) + verb + " instead of "
                    + (dx.decision().chosen() == null ? "nobody" : dx.decision().chosen()) + " (" + right.kind()
                    + " by " + right.rule() + ")";
        }
        if (x == null) {
            return leftId + " had ended; " + rightId + " went on: " + describe(Objects.requireNonNull(y));
        }
        if (y == null) {
            return rightId + " had ended; " + leftId + " went on: " + describe(x);
        }
        return leftId + " " + describe(x) + ", but " + rightId + " " + describe(y);
    }

    /** What an event means, without ids, times or generated text. */
    static String signature(JournalEvent event) {
        return switch (event) {
            case JournalEvent.RunStarted started -> "start " + started.team().name();
            case JournalEvent.MessageSent sent ->
                "message " + sent.message().sender() + ">" + RunState.receivers(sent.message()) + " "
                        + sent.message().performative();
            case JournalEvent.TurnStarted turn -> "turn " + turn.agentId();
            case JournalEvent.LlmRequested requested -> "llm " + requested.agentId() + " " + requested.model();
            case JournalEvent.LlmCompleted completed ->
                "answer " + completed.agentId() + " tools "
                        + completed.response().toolCalls().stream()
                                .map(io.troupe.api.model.ToolCall::name)
                                .toList();
            case JournalEvent.LlmFailed failed -> "llm-failed " + failed.agentId();
            case JournalEvent.LlmReissued reissued -> "reissued " + reissued.agentId();
            case JournalEvent.ToolRequested requested ->
                "tool " + requested.agentId() + " " + requested.call().name();
            case JournalEvent.ToolCompleted completed -> "tool-done " + completed.agentId();
            case JournalEvent.ToolCallRejected rejected -> "tool-rejected " + rejected.agentId();
            case JournalEvent.AnswerRejected rejected -> "answer-rejected " + rejected.agentId();
            case JournalEvent.DeadlinePassed passed -> "deadline";
            case JournalEvent.DecisionRecorded recorded ->
                "decision " + recorded.decision().kind() + " "
                        + recorded.decision().chosen();
            case JournalEvent.SubRunRequested requested -> "subrun " + requested.agentId();
            case JournalEvent.SubRunCompleted completed ->
                "subrun-done " + completed.agentId() + " " + RunState.describe(completed.outcome());
            case JournalEvent.Intercepted intercepted ->
                "intercepted " + intercepted.point() + " " + intercepted.agentId() + " "
                        + intercepted.rulings().stream()
                                .map(r -> r.interceptor() + ":"
                                        + r.verdict().getClass().getSimpleName())
                                .toList();
            case JournalEvent.ApprovalDecided decided -> "approval " + decided.approved();
            case JournalEvent.RunFinished finished -> "finished " + RunState.describe(finished.outcome());
        };
    }

    /** An event in a few words, for the divergence. */
    static String describe(JournalEvent event) {
        return switch (event) {
            case JournalEvent.RunStarted started ->
                "started team " + started.team().name();
            case JournalEvent.MessageSent sent -> "sent " + RunState.describe(sent.message());
            case JournalEvent.TurnStarted turn -> "started a turn of " + turn.agentId();
            case JournalEvent.LlmRequested requested ->
                "called model " + requested.model() + " for " + requested.agentId();
            case JournalEvent.LlmCompleted completed ->
                completed.response().hasToolCalls()
                        ? completed.agentId() + "'s model asked for tools "
                                + completed.response().toolCalls().stream()
                                        .map(io.troupe.api.model.ToolCall::name)
                                        .toList()
                        : completed.agentId() + "'s model answered";
            case JournalEvent.LlmFailed failed -> failed.agentId() + "'s model call failed: " + failed.error();
            case JournalEvent.LlmReissued reissued -> "reissued step " + reissued.step();
            case JournalEvent.ToolRequested requested ->
                requested.agentId() + " called tool " + requested.call().name();
            case JournalEvent.ToolCompleted completed -> completed.agentId() + "'s tool returned";
            case JournalEvent.ToolCallRejected rejected ->
                "refused " + rejected.agentId() + "'s tool call: " + rejected.reason();
            case JournalEvent.AnswerRejected rejected ->
                "refused " + rejected.agentId() + "'s answer: " + rejected.reason();
            case JournalEvent.DeadlinePassed passed -> "passed the deadline of " + passed.messageId();
            case JournalEvent.DecisionRecorded recorded ->
                "decided (" + recorded.decision().kind() + "): "
                        + recorded.decision().reason();
            case JournalEvent.SubRunRequested requested -> "started a child run for " + requested.agentId();
            case JournalEvent.SubRunCompleted completed -> "ended the child run of " + completed.agentId();
            case JournalEvent.Intercepted intercepted ->
                "ruled on the " + Explainer.Words.point(intercepted.point()) + " of " + intercepted.agentId();
            case JournalEvent.ApprovalDecided decided -> (decided.approved() ? "approved " : "denied ") + decided.key();
            case JournalEvent.RunFinished finished ->
                "ended: " + finished.outcome().describe();
        };
    }

    private static List<AgentDelta> deltas(Transcript left, Transcript right) {
        Map<String, Usage> a = left.usageByAgent();
        Map<String, Usage> b = right.usageByAgent();
        Map<String, Integer> callsA = calls(left);
        Map<String, Integer> callsB = calls(right);
        Set<String> agents = new LinkedHashSet<>();
        agents.addAll(a.keySet());
        agents.addAll(b.keySet());
        agents.addAll(callsA.keySet());
        agents.addAll(callsB.keySet());
        List<AgentDelta> deltas = new ArrayList<>();
        for (String agent : agents) {
            Usage x = a.getOrDefault(agent, Usage.ZERO);
            Usage y = b.getOrDefault(agent, Usage.ZERO);
            deltas.add(new AgentDelta(
                    agent,
                    x.totalTokens(),
                    y.totalTokens(),
                    x.cost(),
                    y.cost(),
                    callsA.getOrDefault(agent, 0),
                    callsB.getOrDefault(agent, 0)));
        }
        return deltas;
    }

    private static Map<String, Integer> calls(Transcript transcript) {
        Map<String, Integer> calls = new LinkedHashMap<>();
        for (JournalEvent event : transcript.events()) {
            switch (event) {
                case JournalEvent.LlmCompleted completed -> calls.merge(completed.agentId(), 1, Integer::sum);
                case JournalEvent.ToolCompleted completed -> calls.merge(completed.agentId(), 1, Integer::sum);
                default -> {}
            }
        }
        return calls;
    }
}
