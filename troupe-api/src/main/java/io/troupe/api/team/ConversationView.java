package io.troupe.api.team;

import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link Collaboration} sees of a conversation: the task, the team and every message so far.
 *
 * <p>A view is valid only during the call of {@link Collaboration#next} it is passed to: keep what you need, not
 * the view. Not thread-safe.
 */
public interface ConversationView {

    /** The conversation's id. */
    String conversationId();

    /** The task the run was started with. */
    String task();

    /** The team. */
    TeamSpec team();

    /** Every message so far, oldest first. */
    List<Message> messages();

    /** Messages sent by the mechanism whose turns have not been answered yet. */
    List<Message> awaitingReply();

    /** The answers to message {@code messageId}, oldest first. */
    default List<Message> repliesTo(String messageId) {
        return messages().stream().filter(m -> messageId.equals(m.inReplyTo())).toList();
    }

    /** The most recent message sent by the mechanism, if any. */
    default Optional<Message> lastRequest() {
        List<Message> all = messages();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).sender().equals(Message.COORDINATOR)) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    /** What the run has spent so far. */
    Usage usage();

    /**
     * A new message from the mechanism, in this conversation, with a fresh random id and no receivers yet set.
     * Ids need not be reproducible: the runtime journals each decision before acting on it, so a resumed run
     * never decides the same step twice.
     */
    Message.Builder newMessage();
}
