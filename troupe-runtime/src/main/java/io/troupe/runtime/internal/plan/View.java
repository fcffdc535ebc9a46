package io.troupe.runtime.internal.plan;

import io.troupe.api.budget.Budget;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.team.ConversationView;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.Member;
import io.troupe.api.team.Payment;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.internal.state.ConversationState;
import io.troupe.runtime.internal.state.Ids;
import io.troupe.runtime.internal.state.TurnState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a mechanism sees of a conversation, valid during one call of {@code Collaboration.next}. */
final class View implements ConversationView {
    private final ConversationState state;
    private final Instant now;

    View(ConversationState state, Instant now) {
        this.state = state;
        this.now = now;
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
        return state.messages();
    }

    @Override
    public List<Message> awaitingReply() {
        Map<String, Message> requests = new LinkedHashMap<>();
        for (TurnState turn : state.openTurns()) {
            if (!turn.isDelegated() && !state.deadlinePassed(turn.request().id())) {
                requests.putIfAbsent(turn.request().id(), turn.request());
            }
        }
        return List.copyOf(requests.values());
    }

    @Override
    public boolean deadlinePassed(String messageId) {
        return state.deadlinePassed(messageId);
    }

    @Override
    public boolean isLate(Message reply) {
        return state.isLate(reply);
    }

    @Override
    public List<DecisionRecord> decisions() {
        return state.decisions();
    }

    @Override
    public List<Payment> payments() {
        return state.ledger().payments();
    }

    @Override
    public BigDecimal remainingCost(String agentId) {
        Member agent = state.member(agentId);
        Budget budget = agent.budget() != null ? agent.budget() : state.team().budget();
        BigDecimal spent =
                state.ledger().agentUsage(agentId).cost().add(state.ledger().netPaid(agentId));
        return budget.maxCost().subtract(spent).max(BigDecimal.ZERO);
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public Usage usage() {
        return state.ledger().usage();
    }

    @Override
    public Message.Builder newMessage() {
        return Message.builder()
                .id(Ids.random())
                .conversationId(state.conversationId())
                .sender(Message.COORDINATOR);
    }
}
