package io.troupe.runtime.internal.plan;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.run.JournalEvent.DecisionRecorded;
import io.troupe.api.run.JournalEvent.MessageSent;
import io.troupe.api.run.JournalEvent.TurnStarted;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.Member;
import io.troupe.api.team.NextAction;
import io.troupe.api.team.Payment;
import io.troupe.runtime.internal.state.ConversationState;
import io.troupe.runtime.internal.state.Draft;
import io.troupe.runtime.internal.state.TurnState;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The mechanism's side of planning: asks the team's {@link Collaboration} for the next action and turns it into
 * journal events (messages sent, turns started, the end of the run), refusing actions that break the protocol.
 */
final class Coordination {
    /** Notices in a row that one planning pass allows before it calls the mechanism broken. */
    private static final int MAX_NOTICES_PER_STEP = 100;

    private final Collaboration collaboration;
    private final String mechanismName;

    Coordination(Collaboration collaboration, String mechanismName) {
        this.collaboration = collaboration;
        this.mechanismName = mechanismName;
    }

    /** Asks the mechanism what happens next and carries it out; returns whether it emitted anything. */
    boolean consult(Draft batch) {
        ConversationState state = batch.state();
        NextAction action;
        try {
            action = collaboration.next(new View(state, batch.now()));
        } catch (RuntimeException e) {
            batch.finish(new Outcome.Failed(
                    "mechanism '" + mechanismName + "' threw " + e + "; this is a bug in" + " the mechanism"));
            return true;
        }
        return switch (action) {
            case NextAction.Invoke invoke -> {
                for (NextAction.Invocation invocation : invoke.invocations()) {
                    String problem = invoke(batch, invocation);
                    if (problem != null) {
                        batch.finish(new Outcome.Failed("mechanism '" + mechanismName + "' " + problem));
                        break;
                    }
                }
                yield true;
            }
            case NextAction.Notify notify -> {
                if (batch.countNotice() > MAX_NOTICES_PER_STEP) {
                    batch.finish(new Outcome.Failed("mechanism '" + mechanismName + "' sent notices "
                            + MAX_NOTICES_PER_STEP + " times in a row without invoking an agent; it must invoke an"
                            + " agent, wait, finish or fail"));
                    yield true;
                }
                for (Message message : notify.messages()) {
                    String problem = problemWith(state, message);
                    if (problem != null) {
                        batch.finish(new Outcome.Failed("mechanism '" + mechanismName + "' " + problem));
                        yield true;
                    }
                    batch.emit(new MessageSent(message));
                }
                yield true;
            }
            case NextAction.Decide decide -> {
                if (batch.countNotice() > MAX_NOTICES_PER_STEP) {
                    batch.finish(new Outcome.Failed("mechanism '" + mechanismName + "' recorded decisions "
                            + MAX_NOTICES_PER_STEP + " times in a row without invoking an agent; it must invoke an"
                            + " agent, wait, finish or fail"));
                    yield true;
                }
                String problem = problemWith(state, decide.decision());
                if (problem != null) {
                    batch.finish(new Outcome.Failed("mechanism '" + mechanismName + "' " + problem));
                    yield true;
                }
                batch.emit(new DecisionRecorded(decide.decision()));
                yield true;
            }
            case NextAction.Await await -> {
                if (!anyAwaited(state)) {
                    batch.finish(new Outcome.Failed("mechanism '" + mechanismName + "' is waiting for answers,"
                            + " but no agent is working; it must invoke an agent, finish or fail"));
                    yield true;
                }
                yield false;
            }
            case NextAction.Finish finish -> {
                batch.finish(new Outcome.Completed(finish.result(), finish.payload()));
                yield true;
            }
            case NextAction.Fail fail -> {
                batch.finish(new Outcome.Failed(fail.reason()));
                yield true;
            }
        };
    }

    /** Sends an invocation's message and starts a turn for each receiver; returns a problem, or null. */
    private @Nullable String invoke(Draft batch, NextAction.Invocation invocation) {
        ConversationState state = batch.state();
        Message message = invocation.message();
        String problem = problemWith(state, message);
        if (problem != null) {
            return problem;
        }
        List<String> receivers = resolve(state, message.receivers());
        for (String delegate : invocation.delegates()) {
            if (state.team().member(delegate).isEmpty()) {
                return "offered delegation to '" + delegate + "', which is not a member of the team";
            }
        }
        for (String target : invocation.handoffs()) {
            if (state.team().member(target).isEmpty()) {
                return "offered a handoff to '" + target + "', which is not a member of the team";
            }
        }
        batch.emit(new MessageSent(message));
        for (String agent : receivers) {
            batch.emit(new TurnStarted(
                    TurnStarted.turnId(message.id(), agent),
                    agent,
                    message.id(),
                    invocation.responseSchema(),
                    invocation.delegates(),
                    invocation.handoffs(),
                    null));
        }
        return null;
    }

    /** Whether some turn the mechanism could wait for is open: one whose deadline has not passed. */
    private static boolean anyAwaited(ConversationState state) {
        for (TurnState turn : state.openTurns()) {
            if (!state.deadlinePassed(turn.request().id())) {
                return true;
            }
        }
        return false;
    }

    /** What is wrong with a decision from the mechanism, or null. */
    private static @Nullable String problemWith(ConversationState state, DecisionRecord decision) {
        if (decision.chosen() != null && state.team().member(decision.chosen()).isEmpty()) {
            return "recorded a decision for '" + decision.chosen() + "', which is not a member of the team";
        }
        for (Payment payment : decision.payments()) {
            for (String party : List.of(payment.from(), payment.to())) {
                if (!party.equals(Message.COORDINATOR)
                        && state.team().member(party).isEmpty()) {
                    return "recorded a payment involving '" + party + "', which is not a member of the team";
                }
            }
        }
        return null;
    }

    /** What is wrong with a message from the mechanism, or null. */
    private static @Nullable String problemWith(ConversationState state, Message message) {
        if (!message.conversationId().equals(state.conversationId())) {
            return "sent message " + message.id() + " to conversation " + message.conversationId() + " instead of "
                    + state.conversationId();
        }
        if (state.message(message.id()) != null) {
            return "reused message id " + message.id() + "; use ConversationView.newMessage() for fresh ids";
        }
        if (!message.sender().equals(Message.COORDINATOR)) {
            // Senders are authenticated: an agent's messages come from its own turns, built by the runtime.
            return "sent message " + message.id() + " as '" + message.sender() + "'; a mechanism sends as the"
                    + " coordinator only: build messages with ConversationView.newMessage()";
        }
        if (resolve(state, message.receivers()).isEmpty()) {
            return "addressed " + message.receivers() + ", which matches no member of the team";
        }
        return null;
    }

    private static List<String> resolve(ConversationState state, Receivers receivers) {
        return switch (receivers) {
            case Receivers.Agents agents ->
                agents.ids().stream()
                        .filter(id -> state.team().member(id).isPresent())
                        .toList();
            case Receivers.Role role ->
                state.team().members().stream()
                        .filter(m -> m.role().equals(role.role()))
                        .map(Member::id)
                        .toList();
            case Receivers.Everyone everyone -> state.team().memberIds();
        };
    }
}
