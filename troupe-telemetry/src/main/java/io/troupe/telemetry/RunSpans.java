package io.troupe.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.troupe.api.budget.Budget;
import io.troupe.api.intercept.Ruling;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Turns one run's journal events, in order, into spans: the run and each agent's turn as {@code invoke_agent}, each
 * model call as {@code chat}, each tool call as {@code execute_tool}, each child run as an {@code invoke_agent} under
 * the step that started it; decisions, handoffs, verdicts, approvals and budget charges as span events with {@code
 * troupe.*} attributes, which {@link SpanEvents} builds. Ids come from {@link TraceIds}. The run's metrics are
 * {@link RunMeters}'. Not thread-safe: feed one run's events from one thread.
 */
final class RunSpans {
    private static final List<String> STOP = List.of("stop");
    private static final List<String> TOOL_CALLS = List.of("tool_calls");

    private final Tracer tracer;
    private final FixedIds ids;
    private final Function<String, String> providers;
    private final String conversationId;
    private final String traceId;
    /** The hash state of this run's span ids ({@link TraceIds#run}). */
    private final long spanIds;

    private final @Nullable Span parent;
    private final Map<String, Span> turns = new HashMap<>();
    private final Map<Integer, Span> steps = new HashMap<>();
    /** The model of each model call in flight, by step: its span's response model when the answer names none. */
    private final Map<Integer, String> models = new HashMap<>();

    private @Nullable Span run;
    private String team = "";
    private Budget budget = Budget.DEFAULT;
    private Usage spent = Usage.ZERO;
    private int seq;

    /**
     * @param conversationId the run
     * @param rootConversationId its top-level run, whose id the trace id comes from
     * @param parent the span a child run's span hangs under, or null for a top-level run
     * @param providers the provider name ({@code gen_ai.provider.name}) of each model, by the name runs use
     */
    RunSpans(
            Tracer tracer,
            FixedIds ids,
            Function<String, String> providers,
            String conversationId,
            String rootConversationId,
            @Nullable Span parent) {
        this.tracer = tracer;
        this.ids = ids;
        this.providers = providers;
        this.conversationId = conversationId;
        this.traceId = TraceIds.traceId(rootConversationId);
        this.spanIds = TraceIds.run(conversationId);
        this.parent = parent;
    }

    /** The span a child run started at {@code step} hangs under. */
    @Nullable
    Span step(int step) {
        return steps.get(step);
    }

    /**
     * Takes the next event, which happened (or was observed) {@code at}.
     *
     * @param timing how {@code at} is known: {@code observed}, {@code journaled} or {@code reconstructed}
     */
    void accept(JournalEvent event, Instant at, String timing) {
        seq++;
        switch (event) {
            case JournalEvent.RunStarted s -> {
                team = s.team().name();
                budget = s.team().budget();
                run = start(
                        span(GenAi.INVOKE_AGENT + " " + team, SpanKind.INTERNAL, parent, s.startedAt())
                                .setAttribute(GenAi.OPERATION_NAME, GenAi.INVOKE_AGENT)
                                .setAttribute(GenAi.AGENT_NAME, team)
                                .setAttribute(GenAi.CONVERSATION_ID, conversationId)
                                .setAttribute(GenAi.TROUPE_TEAM, team)
                                .setAttribute(GenAi.TROUPE_TIMING, timing),
                        TraceIds.spanId(spanIds, "run", ""));
            }
            case JournalEvent.TurnStarted t -> {
                Span under = t.parentStep() == null ? run : steps.getOrDefault(t.parentStep(), run);
                turns.put(
                        t.turnId(),
                        start(
                                span(GenAi.INVOKE_AGENT + " " + t.agentId(), SpanKind.INTERNAL, under, at)
                                        .setAttribute(GenAi.OPERATION_NAME, GenAi.INVOKE_AGENT)
                                        .setAttribute(GenAi.AGENT_NAME, t.agentId())
                                        .setAttribute(GenAi.AGENT_ID, t.agentId())
                                        .setAttribute(GenAi.CONVERSATION_ID, conversationId),
                                TraceIds.spanId(spanIds, "turn", t.turnId())));
            }
            case JournalEvent.LlmRequested r -> {
                Span under = turns.getOrDefault(r.turnId(), run);
                SpanBuilder chat = span(GenAi.CHAT + " " + r.model(), SpanKind.CLIENT, under, at)
                        .setAttribute(GenAi.OPERATION_NAME, GenAi.CHAT)
                        .setAttribute(GenAi.PROVIDER_NAME, providers.apply(r.model()))
                        .setAttribute(GenAi.REQUEST_MODEL, r.model())
                        .setAttribute(GenAi.CONVERSATION_ID, conversationId)
                        .setAttribute(GenAi.AGENT_NAME, r.agentId())
                        .setAttribute(GenAi.TROUPE_STEP, (long) r.step());
                if (r.request().maxOutputTokens() != null) {
                    chat.setAttribute(
                            GenAi.REQUEST_MAX_TOKENS, (long) r.request().maxOutputTokens());
                }
                steps.put(r.step(), start(chat, TraceIds.spanId(spanIds, "chat", r.step())));
                models.put(r.step(), r.model());
            }
            case JournalEvent.LlmCompleted c -> {
                Span span = steps.remove(c.step());
                ModelResponse response = c.response();
                spent = spent.plus(response.usage());
                String model = models.remove(c.step());
                if (span != null) {
                    span.setAttribute(GenAi.USAGE_INPUT_TOKENS, response.usage().inputTokens());
                    span.setAttribute(
                            GenAi.USAGE_OUTPUT_TOKENS, response.usage().outputTokens());
                    String served = response.servedBy() != null ? response.servedBy() : model;
                    if (served != null) {
                        span.setAttribute(GenAi.RESPONSE_MODEL, served);
                    }
                    span.setAttribute(GenAi.RESPONSE_FINISH_REASONS, response.hasToolCalls() ? TOOL_CALLS : STOP);
                    span.addEvent("troupe.budget.charge", SpanEvents.charge(response.usage(), budget, spent, seq), at);
                    span.end(at);
                }
            }
            case JournalEvent.LlmFailed f -> {
                Span span = steps.remove(f.step());
                models.remove(f.step());
                if (span != null) {
                    span.setAttribute(GenAi.ERROR_TYPE, f.retriable() ? "retriable" : "non_retriable");
                    span.setStatus(StatusCode.ERROR, f.error());
                    span.end(at);
                }
            }
            case JournalEvent.LlmReissued r -> {
                spent = spent.plus(r.charged());
                if (run != null) {
                    run.addEvent(
                            "troupe.budget.charge",
                            SpanEvents.charge(r.charged(), budget, spent, seq).toBuilder()
                                    .put(GenAi.TROUPE_STEP, (long) r.step())
                                    .build(),
                            at);
                }
            }
            case JournalEvent.ToolRequested r -> {
                Span under = turns.getOrDefault(r.turnId(), run);
                steps.put(
                        r.step(),
                        start(
                                span(GenAi.EXECUTE_TOOL + " " + r.call().name(), SpanKind.INTERNAL, under, at)
                                        .setAttribute(GenAi.OPERATION_NAME, GenAi.EXECUTE_TOOL)
                                        .setAttribute(GenAi.TOOL_NAME, r.call().name())
                                        .setAttribute(
                                                GenAi.TOOL_CALL_ID, r.call().id())
                                        .setAttribute(GenAi.TOOL_TYPE, "function")
                                        .setAttribute(GenAi.CONVERSATION_ID, conversationId)
                                        .setAttribute(GenAi.TROUPE_STEP, (long) r.step()),
                                TraceIds.spanId(spanIds, "tool", r.step())));
            }
            case JournalEvent.ToolCompleted c -> {
                Span span = steps.remove(c.step());
                boolean failed = c.result().error();
                if (span != null) {
                    if (failed) {
                        span.setAttribute(GenAi.ERROR_TYPE, "tool_error");
                        span.setStatus(
                                StatusCode.ERROR, SpanEvents.clip(c.result().content()));
                    }
                    span.end(at);
                }
            }
            case JournalEvent.SubRunRequested r -> {
                Span under = turns.getOrDefault(r.turnId(), run);
                steps.put(
                        r.step(),
                        start(
                                span(GenAi.INVOKE_AGENT + " " + r.agentId(), SpanKind.INTERNAL, under, at)
                                        .setAttribute(GenAi.OPERATION_NAME, GenAi.INVOKE_AGENT)
                                        .setAttribute(GenAi.AGENT_NAME, r.agentId())
                                        .setAttribute(GenAi.AGENT_ID, r.agentId())
                                        .setAttribute(GenAi.CONVERSATION_ID, r.childConversationId())
                                        .setAttribute(GenAi.TROUPE_STEP, (long) r.step()),
                                TraceIds.spanId(spanIds, "subrun", r.step())));
            }
            case JournalEvent.SubRunCompleted c -> {
                Span span = steps.remove(c.step());
                spent = spent.plus(c.usage());
                if (span != null) {
                    span.setAttribute(GenAi.TROUPE_OUTCOME, SpanEvents.outcome(c.outcome()));
                    span.addEvent("troupe.budget.charge", SpanEvents.charge(c.usage(), budget, spent, seq), at);
                    if (!(c.outcome() instanceof Outcome.Completed)) {
                        span.setStatus(StatusCode.ERROR, c.outcome().describe());
                    }
                    span.end(at);
                }
            }
            case JournalEvent.MessageSent m -> {
                // A turn ends with its answer: the message in reply to the request the turn answers.
                if (m.message().inReplyTo() != null) {
                    Span turn = turns.remove(JournalEvent.TurnStarted.turnId(
                            m.message().inReplyTo(), m.message().sender()));
                    if (turn != null) {
                        turn.setAttribute(
                                "troupe.performative",
                                m.message().performative().name());
                        turn.end(at);
                    }
                }
            }
            case JournalEvent.DecisionRecorded d -> {
                if (run != null) {
                    run.addEvent(SpanEvents.decisionName(d.decision()), SpanEvents.decision(d.decision(), seq), at);
                }
            }
            case JournalEvent.Intercepted i -> {
                for (Ruling ruling : i.rulings()) {
                    if (run != null && !(ruling.verdict() instanceof Verdict.Proceed p && p.note() == null)) {
                        run.addEvent("troupe.verdict", SpanEvents.verdict(i, ruling, seq), at);
                    }
                }
            }
            case JournalEvent.ApprovalDecided a -> {
                if (run != null) {
                    run.addEvent("troupe.approval", SpanEvents.approval(a, seq), at);
                }
            }
            case JournalEvent.RunResumed r -> {
                if (run != null) {
                    run.addEvent("troupe.resumed", SpanEvents.resumed(r, seq), at);
                }
            }
            case JournalEvent.DeadlinePassed p -> {
                if (run != null) {
                    run.addEvent("troupe.deadline", SpanEvents.deadline(p), at);
                }
            }
            case JournalEvent.RunFinished f -> finish(f, at);
            case JournalEvent.ToolCallRejected r -> {
                if (run != null) {
                    run.addEvent("troupe.refusal", SpanEvents.refusal(r), at);
                }
            }
            case JournalEvent.AnswerRejected r -> {
                if (run != null) {
                    run.addEvent("troupe.refusal", SpanEvents.refusal(r), at);
                }
            }
        }
    }

    private void finish(JournalEvent.RunFinished f, Instant at) {
        Instant end = f.finishedAt().isAfter(at) ? at : f.finishedAt();
        for (Span open : steps.values()) {
            open.end(end);
        }
        steps.clear();
        for (Span open : turns.values()) {
            open.end(end);
        }
        turns.clear();
        if (run != null) {
            run.setAttribute(GenAi.TROUPE_OUTCOME, SpanEvents.outcome(f.outcome()));
            run.setAttribute(GenAi.USAGE_INPUT_TOKENS, f.usage().inputTokens());
            run.setAttribute(GenAi.USAGE_OUTPUT_TOKENS, f.usage().outputTokens());
            run.setAttribute("troupe.cost", f.usage().cost().doubleValue());
            run.setAttribute("troupe.turns", (long) f.turns());
            if (!(f.outcome() instanceof Outcome.Completed)) {
                run.setStatus(StatusCode.ERROR, f.outcome().describe());
                if (f.outcome() instanceof Outcome.BudgetExceeded exceeded) {
                    run.setAttribute(GenAi.ERROR_TYPE, "budget_exceeded");
                    run.addEvent("troupe.budget.exceeded", SpanEvents.budgetExceeded(exceeded), end);
                }
            }
            run.end(end);
        }
    }

    /**
     * A span named {@code name} under {@code parentSpan} (none: a root span) from {@code at}, with its {@code
     * troupe.seq}; the caller sets its other attributes on the builder (directly: no intermediate attribute set to
     * build and sort) and starts it with {@link #start(SpanBuilder, String)}.
     */
    private SpanBuilder span(String name, SpanKind spanKind, @Nullable Span parentSpan, Instant at) {
        SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(spanKind).setStartTimestamp(at);
        if (parentSpan == null) {
            builder.setNoParent();
        } else {
            builder.setParent(Context.root().with(parentSpan));
        }
        return builder.setAttribute(GenAi.TROUPE_SEQ, (long) seq);
    }

    /** Starts {@code builder}'s span with the id {@code spanId} in this run's trace. */
    private Span start(SpanBuilder builder, String spanId) {
        ids.next(traceId, spanId);
        try {
            return builder.startSpan();
        } finally {
            ids.clear();
        }
    }
}
