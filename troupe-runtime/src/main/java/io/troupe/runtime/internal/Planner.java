package io.troupe.runtime.internal;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.event.JournalEvent;
import io.troupe.api.event.JournalEvent.AnswerRejected;
import io.troupe.api.event.JournalEvent.LlmRequested;
import io.troupe.api.event.JournalEvent.MessageSent;
import io.troupe.api.event.JournalEvent.SubRunRequested;
import io.troupe.api.event.JournalEvent.ToolCallRejected;
import io.troupe.api.event.JournalEvent.ToolCompleted;
import io.troupe.api.event.JournalEvent.ToolRequested;
import io.troupe.api.event.JournalEvent.TurnStarted;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ToolCall;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.run.Budget;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.Collaboration;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.api.tool.ToolInvocation;
import io.troupe.api.tool.ToolResult;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decides a conversation's next journal events: the agent loop's decide and act phases and the mechanism's moves.
 *
 * <p>It works on a copy of the state and applies each event to it as it goes, so that one call can plan a whole
 * batch (an answer, the mechanism's next request and the next agent's model call) that the entity then journals
 * atomically. It performs no I/O: model and tool calls start only once their {@code …Requested} events are
 * journaled.
 */
final class Planner {
    private final Components components;
    private final Coordination coordination;

    Planner(Components components, Collaboration collaboration, String mechanismName) {
        this.components = components;
        this.coordination = new Coordination(collaboration, mechanismName);
    }

    /** The result of planning: the events to journal, and the mechanism epoch that was consulted. */
    record Plan(List<JournalEvent> events, int consultedEpoch) {}

    /**
     * Plans from {@code state}, which it changes.
     *
     * @param consultedEpoch the last mechanism epoch consulted; the mechanism is asked again only for a newer one
     */
    Plan plan(ConversationState state, Instant now, int consultedEpoch) {
        PlanBatch batch = new PlanBatch(state, now);
        int epoch = consultedEpoch;
        boolean progressed = true;
        while (progressed && !state.isFinished()) {
            progressed = false;
            Outcome.BudgetExceeded exceeded = runBudgetExceeded(state, now);
            if (exceeded != null) {
                // Let calls in flight land in the journal (they cost money), but start nothing new; a wall-clock
                // limit does not wait, since a hung call would hold the run forever.
                if (exceeded.resource() == io.troupe.api.run.Budget.Resource.WALL_TIME || !anyCallInFlight(state)) {
                    batch.finish(exceeded);
                }
                break;
            }
            for (Turn turn : List.copyOf(state.openTurns.values())) {
                progressed |= advance(batch, turn);
                if (state.isFinished()) {
                    break;
                }
            }
            if (!state.isFinished() && state.mechanismEpoch != epoch) {
                epoch = state.mechanismEpoch;
                progressed |= coordination.consult(batch);
            }
        }
        return new Plan(batch.events, epoch);
    }

    /** Takes the next step of one turn; returns whether it emitted anything. */
    private boolean advance(PlanBatch batch, Turn turn) {
        ConversationState state = batch.state;
        AgentSpec agent = state.agent(turn.agentId());
        if (turn.failure != null) {
            reply(batch, turn, Performative.FAILURE, turn.failure, null);
            return true;
        }
        if (turn.finalAnswer != null) {
            return answer(batch, turn);
        }
        if (turn.roundCalls != null) {
            if (turn.roundHandled == 0 && handOff(batch, turn, agent)) {
                return true;
            }
            ToolCall call = turn.nextUnhandledCall();
            if (call == null) {
                return false;
            }
            act(batch, turn, agent, call);
            return true;
        }
        if (turn.pendingLlmStep != null || turn.pendingSubRun != null || !turn.pendingTools.isEmpty()) {
            return false;
        }
        return decide(batch, turn, agent);
    }

    /** The decide phase: checks limits and budgets, builds the prompt and requests a model call. */
    private boolean decide(PlanBatch batch, Turn turn, AgentSpec agent) {
        ConversationState state = batch.state;
        if (turn.refusedInARow > components.maxRepairs()) {
            reply(
                    batch,
                    turn,
                    Performative.FAILURE,
                    "agent '" + agent.id() + "' gave invalid tool calls or answers " + turn.refusedInARow
                            + " times in a row and gave up; the last problem was: " + turn.lastRefusal,
                    null);
            return true;
        }
        if (turn.iterations >= agent.maxIterations()) {
            reply(
                    batch,
                    turn,
                    Performative.FAILURE,
                    "agent '" + agent.id() + "' made " + turn.iterations
                            + " model calls without answering (maxIterations = " + agent.maxIterations()
                            + "); raise maxIterations or simplify the request",
                    null);
            return true;
        }
        if (runBudgetExceeded(state, batch.now) != null) {
            return false;
        }
        if (agent.team() != null) {
            return subRun(batch, turn, agent);
        }
        if (agent.budget() != null) {
            Outcome.BudgetExceeded own = Budgets.check(
                    agent.budget(),
                    spentBy(state, agent.id()),
                    state.agentTurns.getOrDefault(agent.id(), 0),
                    state.started().startedAt(),
                    batch.now);
            if (own != null) {
                reply(
                        batch,
                        turn,
                        Performative.FAILURE,
                        "agent '" + agent.id() + "' ran out of its own budget (" + own.describe() + ")",
                        null);
                return true;
            }
        }
        List<String> delegates = turn.started.delegates();
        ModelRequest request = Prompts.build(
                agent,
                turn,
                state.memories.getOrDefault(agent.id(), List.of()),
                components.toolDefinitions(agent, delegates, turn.started.handoffs()),
                delegates);
        String hash = Prompts.hash(request);
        int seen = state.promptCounts.getOrDefault(agent.id() + ":" + hash, 0);
        if (seen >= components.repetitionLimit() - 1) {
            batch.finish(new Outcome.Failed("repetition guard: agent '" + agent.id() + "' was about to send the"
                    + " same prompt " + components.repetitionLimit() + " times (prompt hash " + hash + "), so the run"
                    + " is looping; change the agent's instructions or the team's mechanism"));
            return true;
        }
        batch.emit(new LlmRequested(state.nextStep(), agent.id(), turn.id(), agent.model(), request, hash));
        return true;
    }

    /**
     * Ends the turn with the round's first valid {@code handoff} call, if it has one. A handoff ends the turn at once,
     * so it is looked for before any call of the round starts: the other calls are dropped, wherever they stand in
     * the round, and none of them runs or starts a worker's turn that nobody would wait for.
     */
    private boolean handOff(PlanBatch batch, Turn turn, AgentSpec agent) {
        if (turn.started.handoffs().isEmpty() || turn.roundCalls == null) {
            return false;
        }
        Map<String, ToolDefinition> offered = offered(turn, agent);
        for (ToolCall call : turn.roundCalls) {
            if (call.name().equals(Handoffs.TOOL_NAME)
                    && components.gate().refusal(call, offered, agent.permissions(), turn.started.delegates())
                            == null) {
                Handoffs.Request handoff = Handoffs.parse(components.gate().json(), call.arguments());
                reply(
                        batch,
                        turn,
                        Performative.INFORM,
                        "Handing off to " + handoff.to() + ": " + handoff.note(),
                        handoff.payload(components.gate().json()));
                return true;
            }
        }
        return false;
    }

    private Map<String, ToolDefinition> offered(Turn turn, AgentSpec agent) {
        Map<String, ToolDefinition> offered = new LinkedHashMap<>();
        for (ToolDefinition definition :
                components.toolDefinitions(agent, turn.started.delegates(), turn.started.handoffs())) {
            offered.put(definition.name(), definition);
        }
        return offered;
    }

    /**
     * The act phase for one tool call: refuse it with a reason the model can act on, or request it. A valid handoff
     * never gets here: {@link #handOff} takes it before the round's first call.
     */
    private void act(PlanBatch batch, Turn turn, AgentSpec agent, ToolCall call) {
        ConversationState state = batch.state;
        List<String> delegates = turn.started.delegates();
        String refusal = components.gate().refusal(call, offered(turn, agent), agent.permissions(), delegates);
        if (refusal != null) {
            int attempt = turn.roundRefused ? turn.refusedInARow : turn.refusedInARow + 1;
            batch.emit(new ToolCallRejected(turn.roundStep, agent.id(), turn.id(), call, refusal, attempt));
            return;
        }
        int step = state.nextStep();
        String key = ToolInvocation.idempotencyKey(state.conversationId(), step);
        batch.emit(new ToolRequested(step, agent.id(), turn.id(), call, key));
        if (call.name().equals(Delegation.TOOL_NAME) && !delegates.isEmpty()) {
            Delegation.Request delegation =
                    Delegation.Request.parse(components.gate().json(), call.arguments());
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
            batch.emit(new MessageSent(request));
            batch.emit(new TurnStarted(
                    TurnStarted.turnId(key, delegation.worker()),
                    delegation.worker(),
                    key,
                    null,
                    List.of(),
                    List.of(),
                    step));
        }
    }

    /** Sends a final answer, or refuses it when it breaks the turn's response schema. */
    private boolean answer(PlanBatch batch, Turn turn) {
        String text = turn.finalAnswer.text();
        String schema = turn.started.responseSchema();
        String payload = null;
        if (schema != null) {
            String refusal = components.gate().answerRefusal(text, schema);
            if (refusal != null && batch.state.agent(turn.agentId()).team() != null) {
                reply(
                        batch,
                        turn,
                        Performative.FAILURE,
                        "team '" + turn.agentId() + "' gave an answer that does not follow the response schema: "
                                + refusal,
                        null);
                return true;
            }
            if (refusal != null) {
                batch.emit(new AnswerRejected(
                        turn.finalAnswerStep, turn.agentId(), turn.id(), refusal, turn.refusedInARow + 1));
                return true;
            }
            payload = text.strip();
        }
        Performative performative = Performative.INFORM;
        if (turn.request.performative() == Performative.CFP) {
            performative = payload != null && components.gate().isRefusal(payload)
                    ? Performative.REFUSE
                    : Performative.PROPOSE;
        }
        reply(batch, turn, performative, text, payload);
        return true;
    }

    /** Starts the child run of a member that is a team, within what remains of this run's budget. */
    private boolean subRun(PlanBatch batch, Turn turn, AgentSpec member) {
        ConversationState state = batch.state;
        if (turn.iterations > 0) {
            return false; // its one child run is in progress or has answered
        }
        int step = state.nextStep();
        Instant startedAt = state.started().startedAt();
        Budget own = member.team().budget();
        if (member.budget() != null) {
            // The member's own budget covers all its child runs: cap this one by what the earlier ones left.
            own = Budgets.remaining(
                    member.budget(),
                    own,
                    state.agentUsage.getOrDefault(member.id(), Usage.ZERO),
                    state.agentTurns.getOrDefault(member.id(), 0),
                    startedAt,
                    batch.now);
        }
        batch.emit(new SubRunRequested(
                step,
                member.id(),
                turn.id(),
                state.conversationId() + "." + step,
                Prompts.perceive(turn.request, turn.started.responseSchema()),
                Budgets.remaining(state.team().budget(), own, state.usage, state.turns, startedAt, batch.now)));
        return true;
    }

    /** What {@code agentId} has spent: its model usage, with its net payments added to the cost. */
    static Usage spentBy(ConversationState state, String agentId) {
        Usage used = state.agentUsage.getOrDefault(agentId, Usage.ZERO);
        BigDecimal paid = state.netPaid.getOrDefault(agentId, BigDecimal.ZERO);
        BigDecimal cost = used.cost().add(paid).max(BigDecimal.ZERO);
        return new Usage(used.inputTokens(), used.outputTokens(), cost);
    }

    /** Ends a turn with its answer; a delegated turn's answer is also its parent's tool output. */
    private void reply(PlanBatch batch, Turn turn, Performative performative, String body, @Nullable String payload) {
        if (performative == Performative.FAILURE && turn.request.performative() == Performative.CFP) {
            performative = Performative.REFUSE; // an agent that cannot bid declines the call
        }
        Message reply = new Message(
                Ids.random(),
                turn.request.conversationId(),
                turn.request.id(),
                turn.agentId(),
                Receivers.agents(turn.request.sender()),
                performative,
                body,
                payload,
                null);
        batch.emit(new MessageSent(reply));
        Integer parentStep = turn.started.parentStep();
        if (parentStep != null) {
            String parentTurnId = batch.state.stepOwners.get(parentStep);
            Turn parent = parentTurnId == null ? null : batch.state.openTurns.get(parentTurnId);
            if (parent != null) {
                ToolCall call = parent.pendingTools.get(parentStep);
                ToolResult result = performative == Performative.INFORM
                        ? ToolResult.ok(body)
                        : ToolResult.error("worker '" + turn.agentId() + "' failed: " + body);
                batch.emit(new ToolCompleted(parentStep, parent.agentId(), call.id(), result));
            }
        }
    }

    private static Outcome.@Nullable BudgetExceeded runBudgetExceeded(ConversationState state, Instant now) {
        return Budgets.check(
                state.team().budget(), state.usage, state.turns, state.started().startedAt(), now);
    }

    private static boolean anyCallInFlight(ConversationState state) {
        for (Turn turn : state.openTurns.values()) {
            if (turn.hasCallInFlight(state.delegatedTurnsByStep)) {
                return true;
            }
        }
        return false;
    }
}
