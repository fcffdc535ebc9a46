package io.troupe.runtime.internal;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.event.JournalEvent;
import io.troupe.api.event.JournalEvent.AnswerRejected;
import io.troupe.api.event.JournalEvent.LlmRequested;
import io.troupe.api.event.JournalEvent.MessageSent;
import io.troupe.api.event.JournalEvent.RunFinished;
import io.troupe.api.event.JournalEvent.ToolCallRejected;
import io.troupe.api.event.JournalEvent.ToolCompleted;
import io.troupe.api.event.JournalEvent.ToolRequested;
import io.troupe.api.event.JournalEvent.TurnStarted;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ToolCall;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.NextAction;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.api.tool.ToolInvocation;
import io.troupe.api.tool.ToolResult;
import java.time.Instant;
import java.util.ArrayList;
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
    private final Collaboration collaboration;
    private final String mechanismName;
    /** Notices in a row that one planning pass allows before it calls the mechanism broken. */
    private static final int MAX_NOTICES_PER_STEP = 100;

    Planner(Components components, Collaboration collaboration, String mechanismName) {
        this.components = components;
        this.collaboration = collaboration;
        this.mechanismName = mechanismName;
    }

    /** The result of planning: the events to journal, and the mechanism epoch that was consulted. */
    record Plan(List<JournalEvent> events, int consultedEpoch) {}

    /**
     * Plans from {@code state}, which it changes.
     *
     * @param consultedEpoch the last mechanism epoch consulted; the mechanism is asked again only for a newer one
     */
    Plan plan(ConversationState state, Instant now, int consultedEpoch) {
        Batch batch = new Batch(state, now);
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
                progressed |= consult(batch);
            }
        }
        return new Plan(batch.events, epoch);
    }

    /** Takes the next step of one turn; returns whether it emitted anything. */
    private boolean advance(Batch batch, Turn turn) {
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
            ToolCall call = turn.nextUnhandledCall();
            if (call == null) {
                return false;
            }
            act(batch, turn, agent, call);
            return true;
        }
        if (turn.pendingLlmStep != null || !turn.pendingTools.isEmpty()) {
            return false;
        }
        return decide(batch, turn, agent);
    }

    /** The decide phase: checks limits and budgets, builds the prompt and requests a model call. */
    private boolean decide(Batch batch, Turn turn, AgentSpec agent) {
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
        if (agent.budget() != null) {
            Outcome.BudgetExceeded own = Budgets.check(
                    agent.budget(),
                    state.agentUsage.getOrDefault(agent.id(), io.troupe.api.model.Usage.ZERO),
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
                components.toolDefinitions(agent, delegates),
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

    /** The act phase for one tool call: refuse it with a reason the model can act on, or request it. */
    private void act(Batch batch, Turn turn, AgentSpec agent, ToolCall call) {
        ConversationState state = batch.state;
        List<String> delegates = turn.started.delegates();
        Map<String, ToolDefinition> offered = new LinkedHashMap<>();
        for (ToolDefinition definition : components.toolDefinitions(agent, delegates)) {
            offered.put(definition.name(), definition);
        }
        String refusal = components.gate().refusal(call, offered, agent.permissions(), delegates);
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
                    TurnStarted.turnId(key, delegation.worker()), delegation.worker(), key, null, List.of(), step));
        }
    }

    /** Sends a final answer, or refuses it when it breaks the turn's response schema. */
    private boolean answer(Batch batch, Turn turn) {
        String text = turn.finalAnswer.text();
        String schema = turn.started.responseSchema();
        String payload = null;
        if (schema != null) {
            String refusal = components.gate().answerRefusal(text, schema);
            if (refusal != null) {
                batch.emit(new AnswerRejected(
                        turn.finalAnswerStep, turn.agentId(), turn.id(), refusal, turn.refusedInARow + 1));
                return true;
            }
            payload = text.strip();
        }
        reply(batch, turn, Performative.INFORM, text, payload);
        return true;
    }

    /** Ends a turn with its answer; a delegated turn's answer is also its parent's tool output. */
    private void reply(Batch batch, Turn turn, Performative performative, String body, @Nullable String payload) {
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

    /** Asks the mechanism what happens next and carries it out; returns whether it emitted anything. */
    private boolean consult(Batch batch) {
        ConversationState state = batch.state;
        NextAction action;
        try {
            action = collaboration.next(new View(state));
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
                if (++batch.notices > MAX_NOTICES_PER_STEP) {
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
            case NextAction.Await await -> {
                if (state.openTurns.isEmpty()) {
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
    private @Nullable String invoke(Batch batch, NextAction.Invocation invocation) {
        ConversationState state = batch.state;
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
        batch.emit(new MessageSent(message));
        for (String agent : receivers) {
            batch.emit(new TurnStarted(
                    TurnStarted.turnId(message.id(), agent),
                    agent,
                    message.id(),
                    invocation.responseSchema(),
                    invocation.delegates(),
                    null));
        }
        return null;
    }

    /** What is wrong with a message from the mechanism, or null. */
    private static @Nullable String problemWith(ConversationState state, Message message) {
        if (!message.conversationId().equals(state.conversationId())) {
            return "sent message " + message.id() + " to conversation " + message.conversationId() + " instead of "
                    + state.conversationId();
        }
        if (state.messagesById.containsKey(message.id())) {
            return "reused message id " + message.id() + "; use ConversationView.newMessage() for fresh ids";
        }
        if (!message.sender().equals(Message.COORDINATOR)
                && state.team().member(message.sender()).isEmpty()) {
            return "sent message " + message.id() + " as '" + message.sender() + "', which is not a member";
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
                        .map(AgentSpec::id)
                        .toList();
            case Receivers.Everyone everyone ->
                state.team().members().stream().map(AgentSpec::id).toList();
        };
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

    /** The events planned so far; each is applied to the state as it is added. */
    private static final class Batch {
        final ConversationState state;
        final Instant now;
        final List<JournalEvent> events = new ArrayList<>();
        int notices;

        Batch(ConversationState state, Instant now) {
            this.state = state;
            this.now = now;
        }

        void emit(JournalEvent event) {
            state.apply(event);
            events.add(event);
        }

        void finish(Outcome outcome) {
            emit(new RunFinished(outcome, state.usage, state.turns, now));
        }
    }
}
