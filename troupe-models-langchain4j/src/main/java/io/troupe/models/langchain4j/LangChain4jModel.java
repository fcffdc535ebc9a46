package io.troupe.models.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.troupe.api.ModelException;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadFactory;

/**
 * A {@link LanguageModel} over a LangChain4j {@link ChatModel} and {@link StreamingChatModel} pair for one provider
 * and model; the provider classes ({@link OpenAiCompatible}, {@link Anthropic}, {@link Ollama}) build it.
 *
 * <p>{@link #generate} never blocks the caller: it starts the call on a new virtual thread and returns at once. With
 * {@link TokenSink#NONE} it uses the blocking model; with any other sink it streams, passing each piece of text to the
 * sink as it arrives. LangChain4j's retries are off in both models, so one {@code generate} is one HTTP request.
 *
 * <p>Thread-safe: LangChain4j's chat models are, and this class holds no mutable state.
 */
final class LangChain4jModel implements LanguageModel {
    private final Endpoint endpoint;
    private final ChatModel chat;
    private final StreamingChatModel streaming;
    private final PriceTable prices;
    private final ErrorMapper errors;
    private final ThreadFactory threads;

    LangChain4jModel(Endpoint endpoint, ChatModel chat, StreamingChatModel streaming, PriceTable prices) {
        ProviderJson.tune(endpoint.provider());
        this.endpoint = endpoint;
        this.chat = chat;
        this.streaming = streaming;
        this.prices = prices;
        this.errors = new ErrorMapper(endpoint);
        this.threads = Thread.ofVirtual()
                .name("troupe-" + endpoint.provider().toLowerCase(java.util.Locale.ROOT) + "-", 0)
                .factory();
    }

    /** The price of such a call from the model's price table; zero when the table has no price for it. */
    @Override
    public java.math.BigDecimal estimateCost(long inputTokens, long outputTokens) {
        return prices.usage(endpoint.model(), inputTokens, outputTokens).cost();
    }

    /** A hosted model: the runtime retries its passing failures. */
    @Override
    public boolean isRemote() {
        return true;
    }

    @Override
    public CompletionStage<ModelResponse> generate(ModelRequest request, TokenSink tokens) {
        CompletableFuture<ModelResponse> result = new CompletableFuture<>();
        ChatRequest chatRequest;
        try {
            chatRequest = Conversions.toChatRequest(request, endpoint.maxOutputTokens());
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(new ModelException.NonRetriable(
                    endpoint.describe() + ": cannot send the request: " + e.getMessage(), e));
            return result;
        }
        Runnable call = tokens == TokenSink.NONE
                ? () -> chatBlocking(request, chatRequest, result)
                : () -> streaming.chat(chatRequest, new Handler(request, result, tokens));
        CallAbort abort = new CallAbort();
        // The trace context of whoever called (a tracing decorator, an OpenTelemetry agent) goes with the call, so that
        // the HTTP client sends it on as W3C traceparent.
        io.opentelemetry.context.Context trace = io.opentelemetry.context.Context.current();
        Thread worker = threads.newThread(trace.wrap(() -> CallAbort.bound(abort, () -> {
            try {
                call.run();
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(errors.map(e));
            }
        })));
        // Whoever ends the call first (a timeout, a cancellation, a deadline) stops the request itself: the HTTP
        // exchange is aborted and its connection closed, rather than left to finish for nobody.
        result.whenComplete((response, failure) -> {
            if (failure != null) {
                abort.abort();
                worker.interrupt();
            }
        });
        worker.start();
        return result;
    }

    private void chatBlocking(ModelRequest request, ChatRequest chatRequest, CompletableFuture<ModelResponse> result) {
        ChatResponse response = chat.chat(chatRequest);
        result.complete(Conversions.toModelResponse(response, request, endpoint.model(), prices));
    }

    /** Streams text to the sink and completes {@code result} once, with the response or the mapped failure. */
    private final class Handler implements StreamingChatResponseHandler {
        private final ModelRequest request;
        private final CompletableFuture<ModelResponse> result;
        private final TokenSink tokens;

        Handler(ModelRequest request, CompletableFuture<ModelResponse> result, TokenSink tokens) {
            this.request = request;
            this.result = result;
            this.tokens = tokens;
        }

        @Override
        public void onPartialResponse(String partialResponse) {
            if (result.isDone() || partialResponse.isEmpty()) {
                return;
            }
            try {
                tokens.onToken(partialResponse);
            } catch (RuntimeException e) {
                // The sink's own failure is not a model failure: hand it back as it is.
                result.completeExceptionally(e);
            }
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            try {
                result.complete(Conversions.toModelResponse(response, request, endpoint.model(), prices));
            } catch (RuntimeException e) {
                result.completeExceptionally(errors.map(e));
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(errors.map(error));
        }
    }

    @Override
    public String toString() {
        ApiKey key = endpoint.apiKey();
        return endpoint.provider() + "[model=" + endpoint.model() + ", baseUrl=" + endpoint.baseUrl() + ", apiKey="
                + (key == null ? "none" : key.source()) + "]";
    }
}
