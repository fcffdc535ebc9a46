package io.troupe.interop.a2a;

import io.troupe.api.ModelException;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.interop.a2a.wire.A2aMessage;
import io.troupe.interop.a2a.wire.Artifact;
import io.troupe.interop.a2a.wire.Part;
import io.troupe.interop.a2a.wire.Task;
import io.troupe.interop.a2a.wire.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a remote agent's answer is to the member whose model {@link A2aModel} is: a direct message or a completed
 * task's artifacts are its answer, a task that waits for input is a question or (to a CFP) a proposal, which the
 * conversation remembers for the follow-up; a refused, failed or cancelled task, and an error on the way, fail the
 * call with a {@link ModelException} that names the agent. Usage is what the agent reports in the extension's
 * metadata, else an estimate of four characters a token. Thread-safe (immutable).
 */
final class RemoteAnswers {
    private final String name;

    /** @param name the model's name in the spec, for messages */
    RemoteAnswers(String name) {
        this.name = name;
    }

    /**
     * The member's answer to {@code request}, given the agent's.
     *
     * @param sent the text sent to the agent, for the usage estimate
     * @param conversation the run's conversation with the agent, or null for a call outside a run
     * @param asked the message of the turn when it crossed with its performative, else null
     * @throws ModelException if the agent refused, failed, cancelled or asks for what a run cannot give
     */
    ModelResponse of(
            RemoteExchange.Result result,
            ModelRequest request,
            String sent,
            RemoteConversations.@Nullable Conversation conversation,
            @Nullable Message asked) {
        if (result.message() != null) {
            A2aMessage reply = result.message();
            if (conversation != null && reply.contextId() != null) {
                conversation.contextId(reply.contextId());
            }
            String text = answerText(reply.text(), reply.parts(), request);
            return new ModelResponse(text, List.of(), usage(Performatives.read(reply), sent, text));
        }
        Task task = Objects.requireNonNull(result.task());
        if (conversation != null) {
            conversation.contextId(task.contextId());
        }
        A2aMessage status = task.status().message();
        String statusText = status == null ? "" : status.text();
        Performatives.Envelope statusEnvelope = status == null ? null : Performatives.read(status);
        TaskState state = task.status().state();
        switch (state) {
            case TASK_STATE_COMPLETED -> {
                List<Part> parts = new ArrayList<>();
                Performatives.Envelope envelope = statusEnvelope;
                for (Artifact artifact : task.artifacts() == null ? List.<Artifact>of() : task.artifacts()) {
                    parts.addAll(artifact.parts());
                    if (envelope == null) {
                        envelope = Performatives.read(artifact.metadata());
                    }
                }
                if (parts.isEmpty() && status != null) {
                    parts.addAll(status.parts() == null ? List.of() : status.parts());
                }
                String text = answerText(Part.textOf(parts), parts, request);
                return new ModelResponse(text, List.of(), usage(envelope, sent, text));
            }
            case TASK_STATE_INPUT_REQUIRED -> {
                List<Part> parts = status == null || status.parts() == null ? List.of() : status.parts();
                String text = answerText(statusText, parts, request);
                if (conversation != null
                        && asked != null
                        && asked.performative() == Performative.CFP
                        && statusEnvelope != null
                        && statusEnvelope.performative() == Performative.PROPOSE) {
                    conversation.propose(
                            asked.id(),
                            new RemoteConversations.Negotiation(
                                    task.id(),
                                    statusEnvelope.replyWith() != null
                                            ? statusEnvelope.replyWith()
                                            : status.messageId()));
                } else if (conversation != null) {
                    conversation.question(task.id());
                }
                return new ModelResponse(text, List.of(), usage(statusEnvelope, sent, text));
            }
            case TASK_STATE_REJECTED ->
                throw new ModelException.NonRetriable("A2A agent '" + name + "' refused"
                        + (statusText.isBlank() ? "" : ": " + statusText) + " (task " + task.id() + ")");
            case TASK_STATE_FAILED ->
                throw new ModelException.NonRetriable("A2A agent '" + name + "' failed"
                        + (statusText.isBlank() ? "" : ": " + statusText) + " (task " + task.id() + ")");
            case TASK_STATE_CANCELED ->
                throw new ModelException.NonRetriable("A2A agent '" + name + "' cancelled task " + task.id()
                        + (statusText.isBlank() ? "" : ": " + statusText));
            case TASK_STATE_AUTH_REQUIRED ->
                throw new ModelException.NonRetriable("A2A agent '" + name + "' asks for authorization, which"
                        + " Troupe cannot give in a run" + (statusText.isBlank() ? "" : ": " + statusText));
            default ->
                throw new ModelException.Retriable(
                        "A2A agent '" + name + "' left task " + task.id() + " " + state + " without an answer", null);
        }
    }

    /** What {@code e}, thrown on the way to the agent or back, means to the call: retriable or not. */
    ModelException failure(RuntimeException e) {
        return switch (e) {
            case ModelException model -> model;
            case A2aClient.TransportException transport ->
                transport.retriable()
                        ? new ModelException.Retriable("A2A agent '" + name + "': " + transport.getMessage(), null)
                        : new ModelException.NonRetriable("A2A agent '" + name + "': " + transport.getMessage());
            case A2aError error ->
                new ModelException.NonRetriable(
                        "A2A agent '" + name + "' answered error " + error.code() + ": " + error.getMessage());
            default ->
                new ModelException.NonRetriable("A2A agent '" + name + "': "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        };
    }

    /** The answer: a data part's JSON when the turn wants structured output (or there is no text), else the text. */
    private static String answerText(String text, @Nullable List<Part> parts, ModelRequest request) {
        if (parts != null && (request.responseSchema() != null || text.isBlank())) {
            for (Part part : parts) {
                if (part.data() != null) {
                    return part.data().toString();
                }
            }
        }
        return text;
    }

    private static Usage usage(Performatives.@Nullable Envelope envelope, String sent, String answer) {
        if (envelope != null && envelope.usage() != null) {
            return envelope.usage();
        }
        return Usage.of(Usage.estimateTokens(sent.length()), Usage.estimateTokens(answer.length()));
    }
}
