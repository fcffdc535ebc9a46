package io.troupe.runtime.internal.conversation;

import io.troupe.api.ModelException;
import io.troupe.api.model.CallOrigin;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import io.troupe.api.run.JournalEvent.LlmRequested;
import io.troupe.api.run.JournalEvent.ToolRequested;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.TokenDelta;
import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolInvocation;
import io.troupe.api.tool.ToolResult;
import io.troupe.runtime.internal.registry.Registry;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
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

    Calls(ActorContext<ConversationEntity.Command> context, Registry registry, String conversationId) {
        this.context = context;
        this.registry = registry;
        this.conversationId = conversationId;
    }

    /**
     * Calls the model of {@code requested}, streaming its tokens to the subscribers that {@code listeners} gives at
     * each token (none: no streaming). The call's {@link CallOrigin} is current while the model starts it.
     */
    void model(
            LlmRequested requested,
            @Nullable String parentConversationId,
            Supplier<Collection<ActorRef<RunUpdate>>> listeners) {
        if (modelCalls.containsKey(requested.step())) {
            return;
        }
        LanguageModel model = registry.model(requested.model());
        CompletionStage<ModelResponse> answer;
        if (model == null) {
            answer = CompletableFuture.failedFuture(new ModelException.NonRetriable("model '" + requested.model()
                    + "' is not registered on this node; register it with TroupeRuntime.builder().model(...)"));
        } else {
            TokenSink tokens = token -> {
                Collection<ActorRef<RunUpdate>> to = listeners.get();
                if (to.isEmpty()) {
                    return;
                }
                RunUpdate delta = new RunUpdate(
                        conversationId,
                        -1,
                        List.<RunEvent>of(new TokenDelta(requested.step(), requested.agentId(), token)),
                        List.of());
                to.forEach(listener -> listener.tell(delta));
            };
            try {
                CallOrigin origin =
                        new CallOrigin(conversationId, parentConversationId, requested.step(), requested.agentId());
                answer = origin.run(() -> model.generate(requested.request(), tokens));
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
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

    private static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause.getMessage() != null
                ? cause.getClass().getSimpleName() + ": " + cause.getMessage()
                : cause.toString();
    }

    private static boolean isRetriable(Throwable failure) {
        return unwrap(failure) instanceof ModelException model && model.isRetriable();
    }
}
