package io.troupe.runtime.internal.turn;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.intercept.Interception;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.run.JournalEvent.AnswerRejected;
import io.troupe.api.run.JournalEvent.MessageSent;
import io.troupe.api.run.JournalEvent.ToolCompleted;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.Member;
import io.troupe.api.tool.ToolResult;
import io.troupe.runtime.internal.state.ConversationState;
import io.troupe.runtime.internal.state.Draft;
import io.troupe.runtime.internal.state.Ids;
import io.troupe.runtime.internal.state.TurnState;
import org.jspecify.annotations.Nullable;

/**
 * The answer phase: checks a final answer against the turn's response schema (sending it back to the model to
 * repair if it breaks it), chooses the performative, passes the reply through the OUTGOING interceptors and sends
 * it. A delegated turn's reply is also its manager's tool output. A failed turn answers FAILURE (REFUSE to a CFP).
 */
final class Answer {
    private final ToolGate gate;
    private final Seam seam;

    Answer(ToolGate gate, Seam seam) {
        this.gate = gate;
        this.seam = seam;
    }

    /** Sends the turn's final answer, or refuses it when it breaks the response schema; returns whether it emitted. */
    boolean answer(Draft draft, TurnState turn, ModelResponse finalAnswer, @Nullable AgentSpec agent) {
        String text = finalAnswer.text();
        String schema = turn.started().responseSchema();
        String payload = null;
        if (schema != null) {
            String refusal = gate.answerRefusal(text, schema);
            if (refusal != null && draft.state().member(turn.agentId()) instanceof Member.Subteam) {
                fail(
                        draft,
                        turn,
                        "team '" + turn.agentId() + "' gave an answer that does not follow the response schema: "
                                + refusal);
                return true;
            }
            if (refusal != null) {
                draft.emit(new AnswerRejected(
                        turn.finalAnswerStep(), turn.agentId(), turn.id(), refusal, turn.refusedInARow() + 1));
                return true;
            }
            payload = text.strip();
        }
        Performative performative = Performative.INFORM;
        if (turn.request().performative() == Performative.CFP) {
            performative = payload != null && gate.isRefusal(payload) ? Performative.REFUSE : Performative.PROPOSE;
        }
        return send(draft, turn, performative, text, payload, agent);
    }

    /**
     * Sends an answer the agent gave (through the OUTGOING interceptors); returns whether it emitted anything.
     */
    boolean send(
            Draft draft,
            TurnState turn,
            Performative performative,
            String body,
            @Nullable String payload,
            @Nullable AgentSpec agent) {
        Message reply = reply(turn, performative, body, payload);
        switch (seam.before(draft, Seam.key(turn.id(), "out"), agent, new Interception.Subject.Outgoing(reply))) {
            case Seam.Gate.Open open -> {
                Message sent =
                        open.subject() instanceof Interception.Subject.Outgoing outgoing ? outgoing.message() : reply;
                emitReply(draft, turn, sent);
                return true;
            }
            case Seam.Gate.Held held -> {
                return false;
            }
            case Seam.Gate.Closed closed -> {
                if (closed.endRun()) {
                    draft.finish(
                            new Outcome.Failed("the answer of " + turn.agentId() + " was blocked: " + closed.reason()));
                } else {
                    fail(draft, turn, "the answer was blocked: " + closed.reason());
                }
                return true;
            }
        }
    }

    /** Ends a turn with FAILURE (REFUSE to a CFP): a runtime message, not intercepted. */
    void fail(Draft draft, TurnState turn, String reason) {
        emitReply(draft, turn, reply(turn, Performative.FAILURE, reason, null));
    }

    private static Message reply(TurnState turn, Performative performative, String body, @Nullable String payload) {
        if (performative == Performative.FAILURE && turn.request().performative() == Performative.CFP) {
            performative = Performative.REFUSE; // an agent that cannot bid declines the call
        }
        return new Message(
                // Derived from the turn, so that a reply planned again after a restart is the same message.
                Ids.derived(turn.id() + "#reply"),
                turn.request().conversationId(),
                turn.request().id(),
                turn.agentId(),
                Receivers.agents(turn.request().sender()),
                performative,
                body,
                payload,
                null);
    }

    /** Sends {@code reply}; a delegated turn's reply is also its manager's tool output. */
    private static void emitReply(Draft draft, TurnState turn, Message reply) {
        draft.emit(new MessageSent(reply));
        Integer parentStep = turn.started().parentStep();
        if (parentStep != null) {
            ConversationState state = draft.state();
            TurnState parent = state.ownerOf(parentStep);
            if (parent != null) {
                ToolCall call = parent.pendingTools().get(parentStep);
                ToolResult result = reply.performative() == Performative.INFORM
                        ? ToolResult.ok(reply.body())
                        : ToolResult.error("worker '" + turn.agentId() + "' failed: " + reply.body());
                draft.emit(new ToolCompleted(parentStep, parent.agentId(), call.id(), result));
            }
        }
    }
}
