package io.troupe.explain;

import io.troupe.api.model.Usage;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.DecisionRecord;
import java.math.BigDecimal;
import java.time.Duration;
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
 * that two runs of the same team on the same task line up until a choice differs. Agents working in parallel may
 * finish in any order: between two moves of the mechanism, their events are compared agent by agent.
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
     * @param seq its sequence number (from 1) in the first run (in both, when a move of the mechanism differs)
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
     * One agent's figures in both runs: tokens, cost, calls and the time spent waiting on its model and tool calls,
     * and the differences (right minus left).
     *
     * @param agent the agent's id
     * @param leftLatency the time the agent's model and tool calls took in the first run, from the journal's times;
     *     null when that journal holds no times
     * @param rightLatency the same in the second run
     */
    public record AgentDelta(
            String agent,
            long leftTokens,
            long rightTokens,
            BigDecimal leftCost,
            BigDecimal rightCost,
            int leftCalls,
            int rightCalls,
            @Nullable Duration leftLatency,
            @Nullable Duration rightLatency) {
        /** Right minus left latency, or null when either run holds no times. */
        public @Nullable Duration latencyDelta() {
            return leftLatency == null || rightLatency == null ? null : rightLatency.minus(leftLatency);
        }

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
        List<Step> a = canonical(left.events());
        List<Step> b = canonical(right.events());
        int common = Math.min(a.size(), b.size());
        int aligned = 0;
        while (aligned < common
                && a.get(aligned).signature().equals(b.get(aligned).signature())) {
            aligned++;
        }
        Divergence divergence = null;
        if (aligned < a.size() || aligned < b.size()) {
            Step x = aligned < a.size() ? a.get(aligned) : null;
            Step y = aligned < b.size() ? b.get(aligned) : null;
            int seq = (x != null ? x : Objects.requireNonNull(y)).index() + 1;
            JournalEvent xe = x == null ? null : x.event();
            JournalEvent ye = y == null ? null : y.event();
            divergence = new Divergence(
                    seq,
                    "event " + seq + ": " + headline(xe, ye, left.conversationId(), right.conversationId()),
                    xe == null ? null : describe(xe),
                    ye == null ? null : describe(ye));
        }
        return new RunDiff(left.conversationId(), right.conversationId(), aligned, divergence, deltas(left, right));
    }

    /** An event at its place in its journal, with what it means. */
    private record Step(
            int index,
            JournalEvent event,
            String signature,
            @Nullable String lane) {}

    /**
     * The events in a canonical order: agents that work in parallel (the bidders of one CFP, the debaters of one
     * round) have their events journaled in whatever order their models answered, so between two moves of the
     * mechanism the events of different agents are put in the order of the agents' ids, each agent's own events
     * keeping theirs. Two runs that made the same moves then line up whichever agent answered first.
     */
    private static List<Step> canonical(List<JournalEvent> events) {
        List<Step> steps = new ArrayList<>(events.size());
        List<Step> parallel = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            JournalEvent event = events.get(i);
            Step step = new Step(i, event, signature(event), lane(event));
            if (step.lane() == null) {
                flush(parallel, steps);
                steps.add(step);
            } else {
                parallel.add(step);
            }
        }
        flush(parallel, steps);
        return steps;
    }

    private static void flush(List<Step> parallel, List<Step> steps) {
        parallel.sort(java.util.Comparator.comparing(step -> Objects.requireNonNull(step.lane())));
        steps.addAll(parallel);
        parallel.clear();
    }

    /** The agent whose own work {@code event} is, or null for a move of the mechanism, a person or the run. */
    private static @Nullable String lane(JournalEvent event) {
        return switch (event) {
            case JournalEvent.TurnStarted turn -> turn.agentId();
            case JournalEvent.LlmRequested requested -> requested.agentId();
            case JournalEvent.LlmCompleted completed -> completed.agentId();
            case JournalEvent.LlmFailed failed -> failed.agentId();
            case JournalEvent.LlmReissued reissued -> reissued.agentId();
            case JournalEvent.ToolRequested requested -> requested.agentId();
            case JournalEvent.ToolCompleted completed -> completed.agentId();
            case JournalEvent.ToolCallRejected rejected -> rejected.agentId();
            case JournalEvent.AnswerRejected rejected -> rejected.agentId();
            case JournalEvent.SubRunRequested requested -> requested.agentId();
            case JournalEvent.SubRunCompleted completed -> completed.agentId();
            case JournalEvent.Intercepted intercepted -> intercepted.agentId();
            case JournalEvent.MessageSent sent ->
                sent.message().sender().equals(io.troupe.api.protocol.Message.COORDINATOR)
                        ? null
                        : sent.message().sender();
            case JournalEvent.RunStarted started -> null;
            case JournalEvent.DeadlinePassed passed -> null;
            case JournalEvent.RunResumed resumed -> null;
            case JournalEvent.DecisionRecorded recorded -> null;
            case JournalEvent.ApprovalDecided decided -> null;
            case JournalEvent.RunFinished finished -> null;
        };
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
            case JournalEvent.RunResumed resumed -> "resumed";
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
            case JournalEvent.RunResumed resumed ->
                "resumed after " + resumed.downtime().toMillis() + " ms stopped or waiting for a person";
            case JournalEvent.DecisionRecorded recorded ->
                "decided (" + recorded.decision().kind() + "): "
                        + recorded.decision().reason();
            case JournalEvent.SubRunRequested requested -> "started a child run for " + requested.agentId();
            case JournalEvent.SubRunCompleted completed -> "ended the child run of " + completed.agentId();
            case JournalEvent.Intercepted intercepted ->
                "ruled on the " + Words.point(intercepted.point()) + " of " + intercepted.agentId();
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
        Map<String, Duration> timeA = latency(left);
        Map<String, Duration> timeB = latency(right);
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
                    callsB.getOrDefault(agent, 0),
                    left.timed() ? timeA.getOrDefault(agent, Duration.ZERO) : null,
                    right.timed() ? timeB.getOrDefault(agent, Duration.ZERO) : null));
        }
        return deltas;
    }

    /** Each agent's time waiting on its model and tool calls. */
    private static Map<String, Duration> latency(Transcript transcript) {
        Map<String, Duration> total = new LinkedHashMap<>();
        for (CallTime call : CallTime.of(transcript)) {
            if (!call.kind().equals("subrun")) {
                total.merge(call.agent(), call.took(), Duration::plus);
            }
        }
        return total;
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
