package io.troupe.interop.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import io.troupe.api.model.TurnContext;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.interop.a2a.wire.A2aMessage;
import io.troupe.interop.a2a.wire.AgentCard;
import io.troupe.interop.a2a.wire.Part;
import io.troupe.interop.a2a.wire.Role;
import io.troupe.interop.a2a.wire.SendMessageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A remote A2A agent as a team member's model: each turn of the member is a message to the agent, and the agent's
 * answer is the member's. The member takes part in every mechanism, under the run's budgets, interceptors and the
 * resilience layer's timeouts, like any agent ({@code provider: a2a, url: ...} in a spec).
 *
 * <p>With an agent whose card declares the {@link Performatives} extension, the turn's message crosses with its
 * performative, conversation and reply chain, and its payload as a data part: a CFP creates a task whose proposal
 * (INPUT_REQUIRED with the bid) is the member's bid; the ACCEPT follows up on that task and its artifact is the
 * member's INFORM; a REJECT the member perceives follows up on the task and closes it. With any other agent the turn
 * is a plain message (the rendered prompt's new text) and the reply or the task's artifact is the answer.
 *
 * <p>A refusal (REJECTED) or a failure (FAILED) of the remote task fails the call, so the member answers REFUSE (to a
 * CFP) or FAILURE. Cancelling the call cancels the remote task. Usage is what the agent reports in the extension's
 * metadata, else an estimate from the text (four characters a token). What the agent's answer means to the member is
 * {@code RemoteAnswers}'s; the call in flight is a {@code RemoteCall}. Thread-safe.
 */
public final class A2aModel implements LanguageModel {
    private final String name;
    private final A2aClient client;
    private final ObjectMapper json = A2a.mapper();
    private final RemoteConversations conversations = new RemoteConversations(1_000);
    private final RemoteAnswers answers;

    /**
     * @param name the model's name in the spec, for messages
     * @param client the agent
     */
    public A2aModel(String name, A2aClient client) {
        this.name = name;
        this.client = client;
        this.answers = new RemoteAnswers(name);
    }

    @Override
    public boolean isRemote() {
        return true;
    }

    @Override
    public long estimateTokens(ModelRequest request) {
        return Usage.estimateTokens(newText(request).length()) + 8;
    }

    @Override
    public CompletionStage<ModelResponse> generate(ModelRequest request, TokenSink tokens) {
        RemoteCall call = new RemoteCall();
        CompletableFuture<ModelResponse> result = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                call.abort();
                return super.cancel(mayInterruptIfRunning);
            }
        };
        // Whoever ends the call first (a timeout, a cancellation) stops the remote task, so that it does not work on
        // for nobody.
        result.whenComplete((response, failure) -> {
            if (failure != null) {
                call.abort();
            }
        });
        Thread.ofVirtual().name("a2a-" + name).start(() -> {
            try {
                result.complete(answer(request, tokens, call));
            } catch (RuntimeException e) {
                result.completeExceptionally(answers.failure(e));
            }
        });
        return result;
    }

    private ModelResponse answer(ModelRequest request, TokenSink tokens, RemoteCall call) {
        AgentCard card = client.card();
        boolean extension = card.supports(Performatives.URI);
        TurnContext turn = request.turn();
        String text = newText(request);
        RemoteConversations.Conversation conversation =
                turn == null ? null : conversations.of(turn.request().conversationId());
        if (turn == null || !extension) {
            A2aMessage message = message(text, null, null, conversation, null, null);
            return answers.of(exchange(card, message, request, tokens, call), request, text, conversation, null);
        }
        if (conversation != null) {
            forwardNotices(turn, conversation);
        }
        Message asked = turn.request();
        String body = text.contains(asked.body()) ? asked.body() : text; // an interceptor's rewrite wins
        String payload = asked.payload() != null && text.contains(asked.payload()) ? asked.payload() : null;
        JsonNode schema = Part.json(json, request.responseSchema());
        String taskId = null;
        String inReplyTo = null;
        String cfp = null;
        if (asked.performative() == Performative.ACCEPT && conversation != null) {
            Message proposal = turn.repliedTo(asked.inReplyTo()).orElse(null);
            cfp = proposal == null ? null : proposal.inReplyTo();
            RemoteConversations.Negotiation negotiation = conversation.take(cfp);
            if (negotiation != null) {
                taskId = negotiation.taskId();
                inReplyTo = negotiation.proposal();
            }
        } else if (conversation != null && asked.performative() != Performative.CFP) {
            taskId = conversation.takeQuestion();
        }
        Performatives.Envelope envelope = new Performatives.Envelope(
                asked.performative(), asked.conversationId(), asked.id(), inReplyTo, asked.deadline(), schema, null);
        A2aMessage message = message(body, payload, envelope, conversation, taskId, asked.id());
        return answers.of(exchange(card, message, request, tokens, call), request, body, conversation, asked);
    }

    /** Sends REJECT (and CANCEL) notices on to the tasks of the proposals they answer. */
    private void forwardNotices(TurnContext turn, RemoteConversations.Conversation conversation) {
        for (Message notice : turn.inbox()) {
            if (notice.performative() != Performative.REJECT && notice.performative() != Performative.CANCEL) {
                continue;
            }
            Message proposal = turn.repliedTo(notice.inReplyTo()).orElse(null);
            RemoteConversations.Negotiation negotiation =
                    conversation.take(proposal == null ? notice.inReplyTo() : proposal.inReplyTo());
            if (negotiation == null) {
                continue;
            }
            Performatives.Envelope envelope = new Performatives.Envelope(
                    notice.performative(),
                    notice.conversationId(),
                    notice.id(),
                    negotiation.proposal(),
                    null,
                    null,
                    null);
            A2aMessage message = message(
                    notice.body().isBlank() ? notice.performative().name() : notice.body(),
                    null,
                    envelope,
                    conversation,
                    negotiation.taskId(),
                    notice.id());
            try {
                client.sendMessage(SendMessageRequest.of(message).returningImmediately());
            } catch (RuntimeException e) {
                // best effort: the proposal's task stays open on the agent, which is its own concern
            }
        }
    }

    private A2aMessage message(
            String text,
            @Nullable String payload,
            Performatives.@Nullable Envelope envelope,
            RemoteConversations.@Nullable Conversation conversation,
            @Nullable String taskId,
            @Nullable String messageId) {
        List<Part> parts = new ArrayList<>();
        parts.add(Part.text(text));
        JsonNode data = Part.json(json, payload);
        if (data != null) {
            parts.add(Part.data(data));
        }
        return new A2aMessage(
                messageId != null ? messageId : UUID.randomUUID().toString(),
                conversation == null ? null : conversation.contextId(),
                taskId,
                Role.ROLE_USER,
                parts,
                envelope == null ? null : envelope.toMetadata(json),
                envelope == null ? null : List.of(Performatives.URI),
                null);
    }

    /** Sends {@code message} and follows its task until it ends or waits for input. */
    private RemoteExchange.Result exchange(
            AgentCard card, A2aMessage message, ModelRequest request, TokenSink tokens, RemoteCall call) {
        return new RemoteExchange(client, call)
                .run(card, message, request.responseSchema() == null ? tokens : TokenSink.NONE);
    }

    /** What is new to the agent since it last spoke: the user messages after its last answer in the prompt. */
    static String newText(ModelRequest request) {
        List<ChatMessage> messages = request.messages();
        int from = messages.size();
        while (from > 0
                && !(messages.get(from - 1) instanceof ChatMessage.Assistant)
                && !(messages.get(from - 1) instanceof ChatMessage.System)) {
            from--;
        }
        StringBuilder text = new StringBuilder();
        for (ChatMessage message : messages.subList(from, messages.size())) {
            if (message instanceof ChatMessage.User || message instanceof ChatMessage.ToolOutput) {
                if (!text.isEmpty()) {
                    text.append("\n\n");
                }
                text.append(message.text());
            }
        }
        return text.isEmpty() ? request.lastUserText() : text.toString();
    }

    @Override
    public String toString() {
        return "A2aModel[" + name + ", " + client.url() + "]";
    }
}
