package io.troupe.runtime.internal.state;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.team.Member;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A conversation's messages, oldest first, with each message's position by id. A value: {@link #append} returns a
 * new log and leaves this one unchanged, so a fork of the state shares it. Not thread-safe: used by one entity at a
 * time.
 */
final class MessageLog {
    private final Log<Message> messages;
    /**
     * Each message's position in {@link #messages}, shared with the logs appended from this one as the log's storage
     * is; lookups check the position, so entries a newer version added are ignored.
     */
    private final HashMap<String, Integer> positions;

    private MessageLog(Log<Message> messages, HashMap<String, Integer> positions) {
        this.messages = messages;
        this.positions = positions;
    }

    /** The log of a conversation with no messages. */
    static MessageLog empty() {
        return new MessageLog(Log.empty(), new HashMap<>());
    }

    /** Every message, oldest first. */
    List<Message> all() {
        return messages;
    }

    /** How many messages there are: the position the next one takes. */
    int size() {
        return messages.size();
    }

    /** The message with id {@code id}, if it was sent. */
    @Nullable
    Message byId(String id) {
        int index = indexOf(id);
        return index < 0 ? null : messages.get(index);
    }

    /** The position of message {@code id} in {@link #all()}, or -1. */
    int indexOf(String id) {
        Integer index = positions.get(id);
        if (index == null
                || index >= messages.size()
                || !messages.get(index).id().equals(id)) {
            return -1;
        }
        return index;
    }

    /** This log with {@code message} at the end. */
    MessageLog append(Message message) {
        HashMap<String, Integer> index = positions;
        if (!messages.isLatest()) {
            // Another version of this log appended here first (an abandoned draft): stop sharing the index.
            index = new HashMap<>();
            for (int i = 0; i < messages.size(); i++) {
                index.put(messages.get(i).id(), i);
            }
        }
        index.put(message.id(), messages.size());
        return new MessageLog(messages.append(message), index);
    }

    /**
     * The messages from position {@code from} on that are addressed to {@code agent} and that it has not seen another
     * way: notices such as REJECT, CANCEL or shared INFORMs. Requests and the answers to requests are excluded, since
     * they reach it as turns and tool outputs, and so is {@code request}, the one its turn answers.
     */
    List<Message> inbox(Member agent, Message request, int from) {
        List<Message> inbox = new ArrayList<>();
        for (int i = from; i < messages.size(); i++) {
            Message message = messages.get(i);
            Message answered = message.inReplyTo() == null ? null : byId(message.inReplyTo());
            if (message != request
                    && !message.sender().equals(agent.id())
                    && !message.performative().expectsReply()
                    && (answered == null || !answered.performative().expectsReply())
                    && addresses(message.receivers(), agent)) {
                inbox.add(message);
            }
        }
        return inbox;
    }

    private static boolean addresses(Receivers receivers, Member agent) {
        return switch (receivers) {
            case Receivers.Agents agents -> agents.ids().contains(agent.id());
            case Receivers.Role role -> role.role().equals(agent.role());
            case Receivers.Everyone everyone -> true;
        };
    }
}
