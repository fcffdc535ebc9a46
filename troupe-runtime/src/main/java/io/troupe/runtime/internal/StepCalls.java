package io.troupe.runtime.internal;

import io.troupe.api.ModelException;
import io.troupe.api.event.JournalEvent.LlmRequested;
import io.troupe.api.event.JournalEvent.ToolRequested;
import io.troupe.api.event.RunEvent;
import io.troupe.api.event.TokenDelta;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolInvocation;
import io.troupe.api.tool.ToolResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * A conversation's outgoing calls. Each starts a model or tool call that its journaled {@code …Requested} event
 * describes, and pipes the result back to the entity as a command, so that the result is journaled before anything
 * acts on it. Used only from the entity's thread.
 */
final class StepCalls {
    private final ActorContext<ConversationEntity.Command> context;
    private final Components components;
    private final String conversationId;
    /** Model calls in flight, by step. */
    private final Map<Integer, ModelCall> modelCalls = new HashMap<>();

    StepCalls(ActorContext<ConversationEntity.Command> context, Components components, String conversationId) {
        this.context = context;
        this.components = components;
        this.conversationId = conversationId;
    }

    /** Calls the model of {@code requested}, streaming its tokens to {@code listeners}. */
    void model(LlmRequested requested, List<ActorRef<RunUpdate>> listeners) {
        LanguageModel model = components.models().get(requested.model());
        CompletionStage<ModelResponse> answer;
        if (model == null) {
            answer = CompletableFuture.failedFuture(new ModelException.NonRetriable("model '" + requested.model()
                    + "' is not registered on this node; register it with TroupeRuntime.builder().model(...)"));
        } else {
            try {
                answer = model.generate(requested.request(), token -> {
                    RunUpdate delta = new RunUpdate(
                            conversationId,
                            -1,
                            List.<RunEvent>of(new TokenDelta(requested.step(), requested.agentId(), token)));
                    for (ActorRef<RunUpdate> listener : listeners) {
                        listener.tell(delta);
                    }
                });
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
        }
        // The entity waits on its own future, so that it can stop waiting (and stop the model) with a reason.
        CompletableFuture<ModelResponse> awaited = new CompletableFuture<>();
        CompletionStage<ModelResponse> call = answer;
        answer.whenComplete((response, failure) -> {
            if (failure != null) {
                awaited.completeExceptionally(failure);
            } else {
                awaited.complete(response);
            }
        });
        modelCalls.put(requested.step(), new ModelCall(call, awaited));
        context.pipeToSelf(
                awaited,
                (response, failure) -> response != null
                        ? new ConversationEntity.ModelReturned(requested.step(), response, null, false)
                        : new ConversationEntity.ModelReturned(
                                requested.step(), null, describe(failure), isRetriable(failure)));
    }

    /** Forgets the model call of {@code step}, whose answer the entity has received. */
    void modelReturned(int step) {
        modelCalls.remove(step);
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

    /** A model call in flight: the model's own stage, and the future the entity waits on. */
    private record ModelCall(CompletionStage<ModelResponse> model, CompletableFuture<ModelResponse> awaited) {}

    /** Runs the tool of {@code requested} on a virtual thread; a failure becomes an error result. */
    void tool(ToolRequested requested) {
        String name = requested.call().name();
        Tool tool = components.tools().get(name);
        ToolInvocation invocation = new ToolInvocation(
                requested.call().arguments(),
                requested.idempotencyKey(),
                conversationId,
                requested.agentId(),
                requested.step());
        CompletableFuture<ToolResult> result = CompletableFuture.supplyAsync(
                () -> {
                    if (tool == null) {
                        return ToolResult.error("tool '" + name + "' is not registered on this node");
                    }
                    try {
                        return tool.execute(invocation);
                    } catch (Exception e) {
                        return ToolResult.error("tool '" + name + "' failed: " + e);
                    }
                },
                components.toolExecutor());
        context.pipeToSelf(
                result,
                (value, failure) -> new ConversationEntity.ToolReturned(
                        requested.step(),
                        requested.call().id(),
                        value != null ? value : ToolResult.error("tool '" + name + "' failed: " + failure)));
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
