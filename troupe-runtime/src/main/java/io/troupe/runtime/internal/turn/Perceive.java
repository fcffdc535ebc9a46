package io.troupe.runtime.internal.turn;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.intercept.Interception;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.TurnContext;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.runtime.internal.state.ConversationState;
import io.troupe.runtime.internal.state.Draft;
import io.troupe.runtime.internal.state.Exchange;
import io.troupe.runtime.internal.state.InterceptionRecord;
import io.troupe.runtime.internal.state.TurnState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The perceive phase: what an agent reads. Its turn's messages (the request and the notices in its inbox) pass the
 * INCOMING interceptors first; then its prompt is rendered from its instructions, its memory (the messages of its
 * earlier turns, as it perceived them), the turn's messages and its work so far in the turn. Each piece appears once.
 */
public final class Perceive {
    private final Seam seam;

    Perceive(Seam seam) {
        this.seam = seam;
    }

    /** What an agent perceives of its turn's messages. */
    sealed interface Perception {
        /** The request and inbox as the agent reads them: replaced where an interceptor said so, blocked notices left out. */
        record Ready(Message request, List<Message> inbox) implements Perception {}

        /** The interceptors have not ruled yet, or a person has to. */
        record Held() implements Perception {}

        /** The request was blocked. */
        record Blocked(String reason, boolean endRun) implements Perception {}
    }

    /** The turn's messages after the INCOMING interceptors. */
    Perception messages(Draft draft, TurnState turn, @Nullable AgentSpec agent) {
        boolean held = false;
        Message request = turn.request();
        Message perceivedRequest = request;
        switch (seam.before(
                draft, incomingKey(turn.id(), request.id()), agent, new Interception.Subject.Incoming(request))) {
            case Seam.Gate.Open open -> perceivedRequest = incoming(open.subject(), request);
            case Seam.Gate.Held h -> held = true;
            case Seam.Gate.Closed closed -> {
                return new Perception.Blocked(
                        "the request was blocked before " + turn.agentId() + " could read it: " + closed.reason(),
                        closed.endRun());
            }
        }
        List<Message> inbox = new ArrayList<>(turn.inbox().size());
        for (Message notice : turn.inbox()) {
            switch (seam.before(
                    draft, incomingKey(turn.id(), notice.id()), agent, new Interception.Subject.Incoming(notice))) {
                case Seam.Gate.Open open -> inbox.add(incoming(open.subject(), notice));
                case Seam.Gate.Held h -> held = true;
                case Seam.Gate.Closed closed -> {} // a blocked notice is not perceived
            }
        }
        return held ? new Perception.Held() : new Perception.Ready(perceivedRequest, inbox);
    }

    /** The full request for the next model call of {@code turn}, without an output limit. */
    ModelRequest prompt(
            ConversationState state,
            AgentSpec agent,
            TurnState turn,
            Perception.Ready perceived,
            List<ToolDefinition> tools,
            List<String> delegates) {
        List<ChatMessage> messages =
                new ArrayList<>(turn.scratch().size() + agent.memory().window() + 2);
        messages.add(new ChatMessage.System(system(agent, delegates)));
        messages.addAll(memory(state, state.memory(agent.id()), agent.memory().window()));
        for (Message notice : perceived.inbox()) {
            messages.add(new ChatMessage.User(render(notice, null)));
        }
        messages.add(
                new ChatMessage.User(render(perceived.request(), turn.started().responseSchema())));
        messages.addAll(turn.scratch());
        Message request = perceived.request();
        List<Message> repliedTo = new ArrayList<>();
        List<Message> referring = new ArrayList<>(perceived.inbox());
        referring.add(request);
        for (Message message : referring) {
            Message answered = message.inReplyTo() == null ? null : state.message(message.inReplyTo());
            if (answered != null && !repliedTo.contains(answered)) {
                repliedTo.add(answered);
            }
        }
        TurnContext context = new TurnContext(agent.id(), request, perceived.inbox(), repliedTo);
        return new ModelRequest(messages, tools, turn.started().responseSchema()).withTurn(context);
    }

    /**
     * The last {@code window} entries of an agent's memory, rendered: for each earlier turn, the notices and the
     * request as the agent perceived them, then its answer. The window never starts with an answer whose request
     * was cut off.
     */
    static List<ChatMessage> memory(ConversationState state, List<Exchange> exchanges, int window) {
        if (window <= 0 || exchanges.isEmpty()) {
            return List.of();
        }
        List<ChatMessage> reversed = new ArrayList<>();
        for (int i = exchanges.size() - 1; i >= 0 && reversed.size() <= window; i--) {
            Exchange exchange = exchanges.get(i);
            reversed.add(new ChatMessage.Assistant(exchange.reply().body(), List.of()));
            Message request = perceived(state, exchange.turnId(), exchange.request());
            if (request != null) {
                reversed.add(new ChatMessage.User(render(request, exchange.responseSchema())));
            }
            for (int n = exchange.inbox().size() - 1; n >= 0; n--) {
                Message notice =
                        perceived(state, exchange.turnId(), exchange.inbox().get(n));
                if (notice != null) {
                    reversed.add(new ChatMessage.User(render(notice, null)));
                }
            }
        }
        Collections.reverse(reversed);
        int from = Math.max(0, reversed.size() - window);
        if (reversed.get(from) instanceof ChatMessage.Assistant && from + 1 < reversed.size()) {
            from++;
        }
        return reversed.subList(from, reversed.size());
    }

    /** How the agent perceived {@code message} in turn {@code turnId}: replaced, as sent, or null if blocked. */
    private static @Nullable Message perceived(ConversationState state, String turnId, Message message) {
        InterceptionRecord record = state.interception(incomingKey(turnId, message.id()));
        if (record == null) {
            return message;
        }
        if (record.status() instanceof InterceptionRecord.Status.Blocked) {
            return null;
        }
        return incoming(record.subject(new Interception.Subject.Incoming(message)), message);
    }

    private static Message incoming(Interception.Subject subject, Message original) {
        return subject instanceof Interception.Subject.Incoming incoming ? incoming.message() : original;
    }

    /** The interception key of {@code messageId} as perceived in turn {@code turnId}. */
    static String incomingKey(String turnId, String messageId) {
        return Seam.key(turnId, "in:" + messageId);
    }

    /** How an agent reads a message addressed to it. */
    public static String render(Message request, @Nullable String responseSchema) {
        StringBuilder text = new StringBuilder();
        boolean fromCoordinator = request.sender().equals(Message.COORDINATOR);
        if (!fromCoordinator || request.performative() != Performative.REQUEST) {
            text.append('[')
                    .append(request.performative())
                    .append(" from ")
                    .append(fromCoordinator ? "coordinator" : request.sender())
                    .append("] ");
        }
        text.append(request.body());
        if (request.payload() != null) {
            text.append("\n\nPayload (JSON): ").append(request.payload());
        }
        if (responseSchema != null) {
            text.append("\n\nAnswer with a JSON document only, following this JSON schema: ")
                    .append(responseSchema);
        }
        return text.toString();
    }

    private static String system(AgentSpec agent, List<String> delegates) {
        StringBuilder text = new StringBuilder();
        if (agent.instructions().isBlank()) {
            text.append("You are ").append(agent.role()).append('.');
        } else {
            text.append(agent.instructions());
        }
        if (!delegates.isEmpty()) {
            text.append("\n\nYou may delegate subtasks with the ")
                    .append(Delegation.TOOL_NAME)
                    .append(" tool to: ")
                    .append(String.join(", ", delegates))
                    .append(". Several delegations in one answer run in parallel.");
        }
        return text.toString();
    }
}
