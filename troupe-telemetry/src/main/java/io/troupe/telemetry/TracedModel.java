package io.troupe.telemetry;

import io.opentelemetry.context.Scope;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import java.util.concurrent.CompletionStage;

/**
 * A model whose calls run inside the trace context of their {@code chat} span, so that a provider adapter that
 * propagates context (the LangChain4j adapter sends W3C {@code traceparent}) joins the run's trace. The span is
 * identified from the journal: the call's {@code LlmRequested}, which the runtime journals before it calls the model,
 * as {@link Telemetry} sees it while it follows the run. Calls of runs not followed here go out without a trace
 * context. Thread-safe.
 */
final class TracedModel implements LanguageModel {
    private final LanguageModel delegate;
    private final CallContexts contexts;

    TracedModel(LanguageModel delegate, CallContexts contexts) {
        this.delegate = delegate;
        this.contexts = contexts;
    }

    @Override
    public CompletionStage<ModelResponse> generate(ModelRequest request, TokenSink tokens) {
        return contexts.contextOf(request).thenCompose(context -> {
            if (context == null) {
                return delegate.generate(request, tokens);
            }
            try (Scope scope = context.makeCurrent()) {
                return delegate.generate(request, tokens);
            }
        });
    }

    @Override
    public long estimateTokens(ModelRequest request) {
        return delegate.estimateTokens(request);
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
