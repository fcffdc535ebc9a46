package io.troupe.runtime.internal;

import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.team.ConversationView;
import io.troupe.api.team.TeamSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a mechanism sees of a conversation, valid during one call of {@code Collaboration.next}. */
final class View implements ConversationView {
    private final ConversationState state;
    private final List<Message> messages;

    View(ConversationState state) {
        this.state = state;
        this.messages = Collections.unmodifiableList(state.messages);
    }

    @Override
    public String conversationId() {
        return state.conversationId();
    }

    @Override
    public String task() {
        return state.started().task();
    }

    @Override
    public TeamSpec team() {
        return state.team();
    }

    @Override
    public List<Message> messages() {
        return messages;
    }

    @Override
    public List<Message> awaitingReply() {
        Map<String, Message> requests = new LinkedHashMap<>();
        for (Turn turn : state.openTurns.values()) {
            if (!turn.isDelegated()) {
                requests.putIfAbsent(turn.request.id(), turn.request);
            }
        }
        return List.copyOf(requests.values());
    }

    @Override
    public Usage usage() {
        return state.usage;
    }

    @Override
    public Message.Builder newMessage() {
        return Message.builder()
                .id(Ids.random())
                .conversationId(state.conversationId())
                .sender(Message.COORDINATOR);
    }
}
