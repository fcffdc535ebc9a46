package io.troupe.runtime.internal.conversation;

import io.troupe.api.ModelException;
import io.troupe.api.model.CallOrigin;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import io.troupe.api.run.JournalEvent.LlmRequested;
import io.troupe.api.run.JournalEvent.ToolRequested;
import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolInvocation;
import io.troupe.api.tool.ToolResult;
import io.troupe.runtime.internal.registry.Registry;
import io.troupe.runtime.resilience.RateLimit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.jspecify.annotations.Nullable;

/**
 * A conversation's model and tool calls. Each starts a call that its journaled {@code …Requested} event describes,
 * and pipes the result back to the entity as a command, so that the result is journaled before anything acts on
 * it. Calls can be stopped: a model call is cancelled down to the model (an HTTP request is aborted, llama.cpp
 * stops generating), a tool's virtual thread is interrupted. Used only from the entity's thread.
 */
final class Calls {
    private final ActorContext<ConversationEntity.Command> context;
    private final Registry registry;
    private final String conversationId;
    /** Model calls in flight, by step. */
    private final Map<Integer, ModelCall> modelCalls = new HashMap<>();
    /** Tool calls in flight, by step. */
    private final Map<Integer, Future<?>> toolCalls = new HashMap<>();

    private final RateLimits limits;

    Calls(
            ActorContext<ConversationEntity.Command> context,
            Registry registry,
            RateLimits limits,
            String conversationId) {
        this.context = context;
        this.registry = registry;
        this.limits = limits;
        this.conversationId = conversationId;
    }

    /**
     * Calls the model of {@code requested}, streaming its tokens to {@code tokens}; with {@link TokenSink#NONE} the
     * model makes a plain call. The call's {@link CallOrigin} is current while the model starts it.
     */
    void model(LlmRequested requested, @Nullable String parentConversationId, TokenSink tokens) {
        if (modelCalls.containsKey(requested.step())) {
            return;
        }
        LanguageModel model = registry.model(requested.model());
        CompletionStage<ModelResponse> answer;
        if (model == null) {
            answer = CompletableFuture.failedFuture(new ModelException.NonRetriable("model '" + requested.model()
                    + "' is not registered on this node; register it with TroupeRuntime.builder().model(...)"));
        } else {
            CallOrigin origin =
                    new CallOrigin(conversationId, parentConversationId, requested.step(), requested.agentId());
            RateLimit limit = limits.forModel().apply(requested.model());
            answer = limit == null
                    ? generate(model, requested, tokens, origin)
                    : limited(model, requested, tokens, limit, origin);
        }
        // The entity waits on its own future, so that it can stop waiting (and stop the model) with a reason.
        CompletableFuture<ModelResponse> awaited = new CompletableFuture<>();
        answer.whenComplete((response, failure) -> {
            if (failure != null) {
                awaited.completeExceptionally(failure);
            } else {
                awaited.complete(response);
            }
        });
        modelCalls.put(requested.step(), new ModelCall(answer, awaited));
        context.pipeToSelf(
                awaited,
                (response, failure) -> response != null
                        ? new Notices.ModelReturned(requested.step(), response, null, false)
                        : new Notices.ModelReturned(requested.step(), null, describe(failure), isRetriable(failure)));
    }

    private static CompletionStage<ModelResponse> generate(
            LanguageModel model, LlmRequested requested, TokenSink tokens, CallOrigin origin) {
        try {
            return origin.run(() -> model.generate(requested.request(), tokens));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Calls the model once the cluster's rate limit admits the call, charged its prompt's estimated tokens and then
     * corrected to the tokens it used. Cancelling the result cancels the call, or stops the wait.
     */
    private CompletionStage<ModelResponse> limited(
            LanguageModel model, LlmRequested requested, TokenSink tokens, RateLimit limit, CallOrigin origin) {
        CompletableFuture<ModelResponse> result = new CompletableFuture<>();
        long estimate = requested.estimatedInputTokens();
        limits.limiter().acquire(limit, estimate).whenComplete((admitted, refused) -> {
            if (result.isDone()) {
                return; // stopped while it waited
            }
            CompletionStage<ModelResponse> call = generate(model, requested, tokens, origin);
            result.whenComplete((response, failure) -> {
                if (result.isCancelled()) {
                    call.toCompletableFuture().cancel(true);
                }
            });
            call.whenComplete((response, failure) -> {
                if (response != null) {
                    limits.limiter()
                            .settle(
                                    limit,
                                    response.usage().inputTokens()
                                            + response.usage().outputTokens()
                                            - estimate);
                    result.complete(response);
                } else {
                    result.completeExceptionally(failure);
                }
            });
        });
        return result;
    }

    /** Forgets the model call of {@code step}, whose answer the entity has received. */
    void modelReturned(int step) {
        modelCalls.remove(step);
    }

    /** Whether the model call of {@code step} is in flight. */
    boolean isModelCallInFlight(int step) {
        return modelCalls.containsKey(step);
    }

    /**
     * Stops the model call of {@code step}, if it is still running: the model is cancelled, and the entity receives a
     * non-retriable failure with {@code reason}, which it journals as the step's {@code LlmFailed}.
     */
    void cancelModel(int step, String reason) {
        ModelCall call = modelCalls.remove(step);
        if (call != null) {
            call.awaited().completeExceptionally(new ModelException.NonRetriable(reason));
            call.model().toCompletableFuture().cancel(true);
        }
    }

    /** Stops every call in flight: the run has ended, so nothing will act on their results. */
    void cancelAll(String reason) {
        for (Integer step : List.copyOf(modelCalls.keySet())) {
            cancelModel(step, reason);
        }
        toolCalls.values().forEach(task -> task.cancel(true));
        toolCalls.clear();
    }

    /** A model call in flight: the model's own stage, and the future the entity waits on. */
    private record ModelCall(CompletionStage<ModelResponse> model, CompletableFuture<ModelResponse> awaited) {}

    /** Runs the tool of {@code requested} on a virtual thread; a failure becomes an error result. */
    void tool(ToolRequested requested) {
        if (toolCalls.containsKey(requested.step())) {
            return;
        }
        String name = requested.call().name();
        Tool tool = registry.tool(name);
        ToolInvocation invocation = new ToolInvocation(
                requested.call().arguments(),
                requested.idempotencyKey(),
                conversationId,
                requested.agentId(),
                requested.step());
        CompletableFuture<ToolResult> result = new CompletableFuture<>();
        toolCalls.put(requested.step(), registry.executor().submit(() -> {
            if (tool == null) {
                result.complete(ToolResult.error("tool '" + name + "' is not registered on this node"));
                return;
            }
            try {
                result.complete(tool.execute(invocation));
            } catch (InterruptedException e) {
                result.complete(ToolResult.error("tool '" + name + "' was stopped: the run ended"));
            } catch (Exception | LinkageError | AssertionError e) {
                result.complete(ToolResult.error("tool '" + name + "' failed: " + e));
            }
        }));
        context.pipeToSelf(
                result,
                (value, failure) -> new Notices.ToolReturned(
                        requested.step(),
                        requested.call().id(),
                        value != null ? value : ToolResult.error("tool '" + name + "' failed: " + failure)));
    }

    /** Forgets the tool call of {@code step}, whose result the entity has received. */
    void toolReturned(int step) {
        toolCalls.remove(step);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** A model's failure as its message says it (written for people); anything else with its class, for whoever debugs it. */
    private static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ModelException && cause.getMessage() != null) {
            return cause.getMessage();
        }
        return cause.getMessage() != null
                ? cause.getClass().getSimpleName() + ": " + cause.getMessage()
                : cause.toString();
    }

    private static boolean isRetriable(Throwable failure) {
        return unwrap(failure) instanceof ModelException model && model.isRetriable();
    }
}
