package io.troupe.api.team;

import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import java.math.BigDecimal;
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

    /**
     * Messages sent by the mechanism whose turns have not been answered yet. A message whose deadline has passed is
     * no longer awaited, even if some receivers are still working on it.
     */
    List<Message> awaitingReply();

    /**
     * Whether the deadline of {@code messageId} passed while some of its receivers had not answered. The runtime
     * journals the moment, so this is the same on replay.
     */
    boolean deadlinePassed(String messageId);

    /** Whether {@code reply} arrived after the deadline of the message it answers had passed. */
    boolean isLate(Message reply);

    /** The decisions this mechanism has recorded with {@link NextAction.Decide}, oldest first. */
    List<DecisionRecord> decisions();

    /** The ledger: every payment so far, oldest first. */
    List<Payment> payments();

    /**
     * What {@code agentId} may still spend, in US dollars: its own budget's cost limit (or the run's when it has
     * none) minus its model costs and net payments so far. Never negative.
     */
    BigDecimal remainingCost(String agentId);

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

    /**
     * The time of this decision, for deadlines. The decision is journaled before it takes effect and a resumed run
     * never takes it again, so a mechanism may use this without breaking replay.
     */
    java.time.Instant now();

    /** What the run has spent so far. */
    Usage usage();

    /**
     * A new message from the mechanism, in this conversation, with a fresh random id and no receivers yet set.
     * Ids need not be reproducible: the runtime journals each decision before acting on it, so a resumed run
     * never decides the same step twice.
     */
    Message.Builder newMessage();
}
