package io.troupe.runtime.internal.turn;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Point;
import io.troupe.api.model.ToolCall;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.run.JournalEvent.MessageSent;
import io.troupe.api.run.JournalEvent.ToolCallRejected;
import io.troupe.api.run.JournalEvent.ToolCompleted;
import io.troupe.api.run.JournalEvent.ToolRequested;
import io.troupe.api.run.JournalEvent.TurnStarted;
import io.troupe.api.run.Outcome;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.api.tool.ToolInvocation;
import io.troupe.api.tool.ToolResult;
import io.troupe.runtime.internal.registry.Registry;
import io.troupe.runtime.internal.state.ConversationState;
import io.troupe.runtime.internal.state.Draft;
import io.troupe.runtime.internal.state.InterceptionRecord;
import io.troupe.runtime.internal.state.TurnState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The act phase: the tool calls of a model's answer, in order. Each call is checked (the tool exists, is permitted,
 * and its arguments follow its schema; a refusal goes back to the model to repair), passes the TOOL_USE
 * interceptors, and is requested; a {@code delegate} call also sends the worker its REQUEST. A valid {@code handoff}
 * ends the turn before any other call of the round starts.
 */
final class Act {
    private final Registry registry;
    private final ToolGate gate;
    private final Seam seam;
    private final Answer answer;

    Act(Registry registry, ToolGate gate, Seam seam, Answer answer) {
        this.registry = registry;
        this.gate = gate;
        this.seam = seam;
        this.answer = answer;
    }

    /** Deals with the next call of the turn's round; returns whether it emitted anything. */
    boolean act(Draft draft, TurnState turn, AgentSpec agent) {
        Map<String, ToolDefinition> offered = offered(turn, agent);
        if (turn.roundHandled() == 0) {
            Handoff handoff = handOff(draft, turn, agent, offered);
            if (handoff != Handoff.NONE) {
                return handoff == Handoff.SENT;
            }
        }
        ToolCall call = turn.nextUnhandledCall();
        if (call == null) {
            return false;
        }
        String refusal = refusal(draft, turn, agent, offered, call);
        if (refusal != null) {
            reject(draft, turn, agent, call, refusal);
            return true;
        }
        switch (seam.before(draft, useKey(turn), agent, new Interception.Subject.ToolUse(call))) {
            case Seam.Gate.Held held -> {
                return false;
            }
            case Seam.Gate.Closed closed -> {
                if (closed.endRun()) {
                    draft.finish(new Outcome.Failed("a call of tool '" + call.name() + "' by " + agent.id()
                            + " was blocked: " + closed.reason()));
                } else {
                    reject(draft, turn, agent, call, gate.blocked(call, closed.reason()));
                }
                return true;
            }
            case Seam.Gate.Open open -> {
                ToolCall changed = open.subject() instanceof Interception.Subject.ToolUse use ? use.call() : call;
                String problem = changed.equals(call) ? null : refusal(draft, turn, agent, offered, changed);
                if (problem != null || changed.name().equals(Handoffs.TOOL_NAME)) {
                    // An interceptor's change must pass the same checks; a handoff here was blocked at the round's
                    // start.
                    reject(
                            draft,
                            turn,
                            agent,
                            call,
                            problem != null ? problem : gate.blocked(call, "the handoff was refused"));
                    return true;
                }
                request(draft, turn, agent, changed);
                return true;
            }
        }
    }

    /**
     * Emits the tool results a person released: outputs held for approval by the TOOL_OUTPUT interceptors are
     * journaled once approved, or as errors once denied. Returns whether it emitted anything.
     */
    boolean releaseHeldOutputs(Draft draft, TurnState turn, AgentSpec agent) {
        boolean emitted = false;
        ConversationState state = draft.state();
        for (Map.Entry<Integer, ToolCall> pending : turn.pendingTools().entrySet()) {
            int step = pending.getKey();
            InterceptionRecord record = state.interception(Seam.stepKey(step, Point.TOOL_OUTPUT));
            if (record == null
                    || record.isWaiting()
                    || !(record.held() instanceof Interception.Subject.ToolOutput held)) {
                continue;
            }
            switch (seam.after(draft, record.key(), agent, held)) {
                case Seam.Gate.Open open -> {
                    ToolResult result = open.subject() instanceof Interception.Subject.ToolOutput output
                            ? output.result()
                            : held.result();
                    draft.emit(new ToolCompleted(
                            step, turn.agentId(), pending.getValue().id(), result));
                    emitted = true;
                }
                case Seam.Gate.Closed closed -> {
                    if (closed.endRun()) {
                        draft.finish(new Outcome.Failed("the output of tool '"
                                + pending.getValue().name() + "' was" + " blocked: " + closed.reason()));
                        return true;
                    }
                    draft.emit(new ToolCompleted(
                            step,
                            turn.agentId(),
                            pending.getValue().id(),
                            ToolResult.error("the tool's output was blocked: " + closed.reason())));
                    emitted = true;
                }
                case Seam.Gate.Held h -> {}
            }
        }
        return emitted;
    }

    private enum Handoff {
        NONE,
        SENT,
        HELD
    }

    /**
     * Ends the turn with the round's first valid {@code handoff} call, if it has one that the interceptors let
     * through. A handoff ends the turn at once, so it is looked for before any call of the round starts: the other
     * calls are dropped, and none of them runs or starts a worker's turn that nobody would wait for.
     */
    private Handoff handOff(Draft draft, TurnState turn, AgentSpec agent, Map<String, ToolDefinition> offered) {
        List<ToolCall> calls = turn.roundCalls();
        if (turn.started().handoffs().isEmpty() || calls == null) {
            return Handoff.NONE;
        }
        for (int position = 0; position < calls.size(); position++) {
            ToolCall call = calls.get(position);
            if (!call.name().equals(Handoffs.TOOL_NAME) || refusal(draft, turn, agent, offered, call) != null) {
                continue;
            }
            String key = Seam.key(turn.id(), "tool:" + turn.roundStep() + ":" + position);
            switch (seam.before(draft, key, agent, new Interception.Subject.ToolUse(call))) {
                case Seam.Gate.Held held -> {
                    return Handoff.HELD;
                }
                case Seam.Gate.Closed closed -> {
                    if (closed.endRun()) {
                        draft.finish(
                                new Outcome.Failed("a handoff by " + agent.id() + " was blocked: " + closed.reason()));
                        return Handoff.SENT;
                    }
                    continue; // the act phase refuses it in its turn, and the other calls go on
                }
                case Seam.Gate.Open open -> {
                    ToolCall sent = open.subject() instanceof Interception.Subject.ToolUse use ? use.call() : call;
                    if (refusal(draft, turn, agent, offered, sent) != null) {
                        continue;
                    }
                    Handoffs.Request handoff = Handoffs.parse(gate.json(), sent.arguments());
                    boolean emitted = answer.send(
                            draft,
                            turn,
                            Performative.INFORM,
                            "Handing off to " + handoff.to() + ": " + handoff.note(),
                            handoff.payload(gate.json()),
                            agent);
                    return emitted ? Handoff.SENT : Handoff.HELD;
                }
            }
        }
        return Handoff.NONE;
    }

    /** Why {@code call} must not run, as the gate says with the agent's capabilities in this turn, or null. */
    private @org.jspecify.annotations.Nullable String refusal(
            Draft draft, TurnState turn, AgentSpec agent, Map<String, ToolDefinition> offered, ToolCall call) {
        return gate.refusal(
                call,
                offered,
                agent,
                Capabilities.of(draft.state(), turn, agent),
                registry.tools(),
                turn.started().delegates());
    }

    private void reject(Draft draft, TurnState turn, AgentSpec agent, ToolCall call, String reason) {
        int attempt = turn.roundRefused() ? turn.refusedInARow() : turn.refusedInARow() + 1;
        draft.emit(new ToolCallRejected(turn.roundStep(), agent.id(), turn.id(), call, reason, attempt));
    }

    private void request(Draft draft, TurnState turn, AgentSpec agent, ToolCall call) {
        ConversationState state = draft.state();
        int step = state.nextStep();
        String key = ToolInvocation.idempotencyKey(state.conversationId(), step);
        draft.emit(new ToolRequested(step, agent.id(), turn.id(), call, key));
        List<String> delegates = turn.started().delegates();
        if (call.name().equals(Delegation.TOOL_NAME) && !delegates.isEmpty()) {
            Delegation.Request delegation = Delegation.Request.parse(gate.json(), call.arguments());
            Message request = new Message(
                    key,
                    state.conversationId(),
                    null,
                    agent.id(),
                    Receivers.agents(delegation.worker()),
                    Performative.REQUEST,
                    delegation.task(),
                    null,
                    null);
            draft.emit(new MessageSent(request));
            draft.emit(new TurnStarted(
                    TurnStarted.turnId(key, delegation.worker()),
                    delegation.worker(),
                    key,
                    null,
                    List.of(),
                    List.of(),
                    step));
        }
    }

    private Map<String, ToolDefinition> offered(TurnState turn, AgentSpec agent) {
        Map<String, ToolDefinition> offered = new LinkedHashMap<>();
        for (ToolDefinition definition : gate.offered(
                registry, agent, turn.started().delegates(), turn.started().handoffs())) {
            offered.put(definition.name(), definition);
        }
        return offered;
    }

    /** The TOOL_USE interception key of the round's next call. */
    private static String useKey(TurnState turn) {
        return Seam.key(turn.id(), "tool:" + turn.roundStep() + ":" + turn.roundHandled());
    }
}
