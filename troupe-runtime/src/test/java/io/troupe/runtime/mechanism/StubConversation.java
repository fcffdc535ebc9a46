package io.troupe.runtime.mechanism;

import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.ConversationView;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.NextAction;
import io.troupe.api.team.Payment;
import io.troupe.api.team.TeamSpec;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A hand-built {@link ConversationView} for calling a mechanism's {@code next} directly: every message sent so far is
 * answered (nothing is awaited), replies whose ids are in {@code late} came after their deadline, and every agent may
 * spend 10 dollars.
 */
record StubConversation(
        TeamSpec team, String task, List<Message> messages, List<DecisionRecord> decisions, Set<String> late)
        implements ConversationView {

    static final Message.Builder FROM_TEAM =
            Message.builder().conversationId("c1").sender(Message.COORDINATOR);

    StubConversation {
        messages = List.copyOf(messages);
        decisions = List.copyOf(decisions);
        late = Set.copyOf(late);
    }

    static StubConversation of(TeamSpec team, String task, List<Message> messages) {
        return new StubConversation(team, task, messages, List.of(), Set.of());
    }

    /** This conversation with {@code decision} recorded. */
    StubConversation with(DecisionRecord decision) {
        List<DecisionRecord> all = new ArrayList<>(decisions);
        all.add(decision);
        return new StubConversation(team, task, messages, all, late);
    }

    /** This conversation with {@code more} messages appended. */
    StubConversation with(Message... more) {
        List<Message> all = new ArrayList<>(messages);
        all.addAll(List.of(more));
        return new StubConversation(team, task, all, decisions, late);
    }

    /** Asks {@code mechanism} for its next action in this conversation. */
    NextAction next(Collaboration mechanism) {
        return mechanism.next(this);
    }

    /** Asks {@code mechanism} for its next action, recording each decision it takes, until it does something else. */
    NextAction decideAll(Collaboration mechanism, List<DecisionRecord> recorded) {
        StubConversation view = this;
        NextAction action = mechanism.next(view);
        while (action instanceof NextAction.Decide decide) {
            recorded.add(decide.decision());
            view = view.with(decide.decision());
            action = mechanism.next(view);
        }
        return action;
    }

    static Message reply(Message to, String agent, Performative performative, String text) {
        return to.reply(agent, performative, text, text.isBlank() ? null : text);
    }

    @Override
    public String conversationId() {
        return "c1";
    }

    @Override
    public List<Message> awaitingReply() {
        return List.of();
    }

    @Override
    public boolean deadlinePassed(String messageId) {
        return !late.isEmpty();
    }

    @Override
    public boolean isLate(Message reply) {
        return late.contains(reply.id());
    }

    @Override
    public List<Payment> payments() {
        return decisions.stream().flatMap(d -> d.payments().stream()).toList();
    }

    @Override
    public BigDecimal remainingCost(String agentId) {
        return BigDecimal.TEN;
    }

    @Override
    public Instant now() {
        return Instant.EPOCH;
    }

    @Override
    public Usage usage() {
        return Usage.ZERO;
    }

    @Override
    public Message.Builder newMessage() {
        return FROM_TEAM;
    }
}
