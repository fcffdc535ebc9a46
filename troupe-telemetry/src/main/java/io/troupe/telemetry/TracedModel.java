package io.troupe.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.troupe.api.model.CallOrigin;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * A model whose calls run inside the trace context of their {@code chat} span, so that a provider adapter that
 * propagates context (the LangChain4j adapter sends W3C {@code traceparent}) joins the run's trace. The span's ids
 * follow from the call's {@link CallOrigin} alone (its run and journal step, as {@link TraceIds} derives them), so a
 * call never waits for its span and every node gives the same ids, whichever node exports the run. Calls made
 * outside a run go out without a trace context. Thread-safe.
 */
final class TracedModel implements LanguageModel {
    private final LanguageModel delegate;
    /** Whether the run of a trace id is traced: its calls' context says so, so that providers sample alike. */
    private final Predicate<String> sampled;

    TracedModel(LanguageModel delegate, Predicate<String> sampled) {
        this.delegate = delegate;
        this.sampled = sampled;
    }

    @Override
    public CompletionStage<ModelResponse> generate(ModelRequest request, TokenSink tokens) {
        CallOrigin origin = CallOrigin.current();
        if (origin == null) {
            return delegate.generate(request, tokens);
        }
        String traceId = TraceIds.traceId(TraceIds.root(origin.conversationId(), origin.parentConversationId()));
        Span chat = Span.wrap(TraceIds.context(
                traceId, TraceIds.chatSpanId(origin.conversationId(), origin.step()), sampled.test(traceId)));
        try (Scope scope = Context.root().with(chat).makeCurrent()) {
            return delegate.generate(request, tokens);
        }
    }

    @Override
    public long estimateTokens(ModelRequest request) {
        return delegate.estimateTokens(request);
    }

    @Override
    public java.math.BigDecimal estimateCost(long inputTokens, long outputTokens) {
        return delegate.estimateCost(inputTokens, outputTokens);
    }

    @Override
    public boolean isRemote() {
        return delegate.isRemote();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
