package io.troupe.runtime.internal;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.event.JournalEvent;
import io.troupe.api.event.JournalEvent.AnswerRejected;
import io.troupe.api.event.JournalEvent.DeadlinePassed;
import io.troupe.api.event.JournalEvent.DecisionRecorded;
import io.troupe.api.event.JournalEvent.LlmCompleted;
import io.troupe.api.event.JournalEvent.LlmFailed;
import io.troupe.api.event.JournalEvent.LlmRequested;
import io.troupe.api.event.JournalEvent.MessageSent;
import io.troupe.api.event.JournalEvent.RunFinished;
import io.troupe.api.event.JournalEvent.RunStarted;
import io.troupe.api.event.JournalEvent.SubRunCompleted;
import io.troupe.api.event.JournalEvent.SubRunRequested;
import io.troupe.api.event.JournalEvent.ToolCallRejected;
import io.troupe.api.event.JournalEvent.ToolCompleted;
import io.troupe.api.event.JournalEvent.ToolRequested;
import io.troupe.api.event.JournalEvent.TurnStarted;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.Payment;
import io.troupe.api.team.TeamSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything a conversation needs to decide its next step, rebuilt from the journal by {@link #apply}.
 *
 * <p>Mutable for speed, but changed only by {@code apply}, so that the same events always give the same state.
 * The planner applies the events it plans as it plans them, and the entity's event handler skips them when they
 * come back from the journal (see {@link ConversationEntity}).
 */
final class ConversationState {
    @Nullable
    RunStarted started;

    int lastStep;
    final List<Message> messages;
    final Map<String, Message> messagesById;
    /** Each message's position in {@link #messages}. */
    final Map<String, Integer> messageIndex;
    /** For each message whose deadline passed with turns still open, how many messages there were at that moment. */
    final Map<String, Integer> deadlinePassedAt;
    /** The mechanism's decisions, oldest first. */
    final List<DecisionRecord> decisions;
    /** The ledger, oldest first. */
    final List<Payment> payments;
    /** Each party's net payments: paid minus received. */
    final Map<String, BigDecimal> netPaid;
    /** Open turns by turn id, in the order they started. */
    final LinkedHashMap<String, Turn> openTurns;
    /** Which turn owns a pending model or tool step. */
    final Map<Integer, String> stepOwners;
    /** The turn a {@code delegate} tool step started, by that step. */
    final Map<Integer, String> delegatedTurnsByStep;
    /** Each agent's earlier exchanges, oldest first: its memory across turns. */
    final Map<String, List<ChatMessage>> memories;

    final Map<String, Integer> promptCounts;
    final Map<String, Usage> agentUsage;
    final Map<String, Integer> agentTurns;
    /** How many messages each agent's inbox had been checked up to when its last turn started. */
    final Map<String, Integer> perceivedUpTo;

    Usage usage;
    int turns;
    /** Grows each time a mechanism-level turn closes: the mechanism is asked again once per epoch. */
    int mechanismEpoch;

    @Nullable
    RunFinished finished;

    ConversationState() {
        messages = new ArrayList<>();
        messagesById = new HashMap<>();
        messageIndex = new HashMap<>();
        deadlinePassedAt = new HashMap<>();
        decisions = new ArrayList<>();
        payments = new ArrayList<>();
        netPaid = new HashMap<>();
        openTurns = new LinkedHashMap<>();
        stepOwners = new HashMap<>();
        delegatedTurnsByStep = new HashMap<>();
        memories = new HashMap<>();
        promptCounts = new HashMap<>();
        agentUsage = new HashMap<>();
        agentTurns = new HashMap<>();
        perceivedUpTo = new HashMap<>();
        usage = Usage.ZERO;
    }

    boolean isStarted() {
        return started != null;
    }

    boolean isFinished() {
        return finished != null;
    }

    RunStarted started() {
        if (started == null) {
            throw new IllegalStateException("the conversation has not started");
        }
        return started;
    }

    TeamSpec team() {
        return started().team();
    }

    String conversationId() {
        return started().conversationId();
    }

    AgentSpec agent(String id) {
        return team().member(id)
                .orElseThrow(() -> new IllegalStateException("agent '" + id + "' is not a member of the team"));
    }

    int nextStep() {
        return lastStep + 1;
    }

    @Nullable
    Outcome outcome() {
        return finished == null ? null : finished.outcome();
    }

    /** Changes the state as {@code event} says. Deterministic: no clocks, no randomness, no I/O. */
    void apply(JournalEvent event) {
        switch (event) {
            case RunStarted e -> {
                started = e;
                mechanismEpoch = 1;
            }
            case MessageSent e -> onMessage(e.message());
            case TurnStarted e -> {
                Message request = messagesById.get(e.requestId());
                if (request == null) {
                    throw new IllegalStateException("TurnStarted for unknown message " + e.requestId());
                }
                openTurns.put(e.turnId(), new Turn(e, request, inbox(e.agentId(), request)));
                perceivedUpTo.put(e.agentId(), messages.size());
                if (e.parentStep() != null) {
                    delegatedTurnsByStep.put(e.parentStep(), e.turnId());
                }
            }
            case LlmRequested e -> {
                Turn turn = turn(e.turnId());
                lastStep = Math.max(lastStep, e.step());
                turn.pendingLlmStep = e.step();
                turn.iterations++;
                stepOwners.put(e.step(), turn.id());
                turns++;
                agentTurns.merge(e.agentId(), 1, Integer::sum);
                promptCounts.merge(e.agentId() + ":" + e.promptHash(), 1, Integer::sum);
            }
            case LlmCompleted e -> {
                Turn turn = turn(stepOwners.remove(e.step()));
                turn.pendingLlmStep = null;
                usage = usage.plus(e.response().usage());
                agentUsage.merge(e.agentId(), e.response().usage(), Usage::plus);
                turn.scratch.add(new ChatMessage.Assistant(
                        e.response().text(), e.response().toolCalls()));
                if (e.response().hasToolCalls()) {
                    turn.openRound(e.step(), e.response().toolCalls());
                } else {
                    turn.finalAnswer = e.response();
                    turn.finalAnswerStep = e.step();
                }
            }
            case LlmFailed e -> {
                Turn turn = turn(stepOwners.remove(e.step()));
                turn.pendingLlmStep = null;
                turn.failure = "the model call failed: " + e.error();
            }
            case ToolCallRejected e -> {
                Turn turn = turn(e.turnId());
                int position = turn.roundHandled++;
                turn.roundRefused = true;
                turn.refusedInARow = e.attempt();
                turn.lastRefusal = e.reason();
                turn.putOutput(
                        position,
                        new ChatMessage.ToolOutput(e.call().id(), e.call().name(), e.reason(), true));
            }
            case ToolRequested e -> {
                Turn turn = turn(e.turnId());
                lastStep = Math.max(lastStep, e.step());
                turn.roundPositions.put(e.step(), turn.roundHandled++);
                turn.pendingTools.put(e.step(), e.call());
                stepOwners.put(e.step(), turn.id());
            }
            case ToolCompleted e -> {
                Turn turn = turn(stepOwners.remove(e.step()));
                ToolCall call = turn.pendingTools.remove(e.step());
                Integer position = turn.roundPositions.get(e.step());
                if (call == null || position == null) {
                    throw new IllegalStateException("ToolCompleted for step " + e.step() + " that is not pending");
                }
                delegatedTurnsByStep.remove(e.step());
                turn.putOutput(
                        position,
                        new ChatMessage.ToolOutput(
                                e.toolCallId(),
                                call.name(),
                                e.result().content(),
                                e.result().error()));
            }
            case AnswerRejected e -> {
                Turn turn = turn(e.turnId());
                turn.finalAnswer = null;
                turn.refusedInARow = e.attempt();
                turn.lastRefusal = e.reason();
                turn.scratch.add(new ChatMessage.User(e.reason()));
            }
            case DeadlinePassed e -> {
                deadlinePassedAt.put(e.messageId(), messages.size());
                mechanismEpoch++;
            }
            case DecisionRecorded e -> {
                decisions.add(e.decision());
                for (Payment payment : e.decision().payments()) {
                    payments.add(payment);
                    netPaid.merge(payment.from(), payment.amount(), BigDecimal::add);
                    netPaid.merge(payment.to(), payment.amount().negate(), BigDecimal::add);
                }
                mechanismEpoch++;
            }
            case SubRunRequested e -> {
                Turn turn = turn(e.turnId());
                lastStep = Math.max(lastStep, e.step());
                turn.pendingSubRun = e.step();
                turn.iterations++;
                stepOwners.put(e.step(), turn.id());
            }
            case SubRunCompleted e -> {
                Turn turn = turn(stepOwners.remove(e.step()));
                turn.pendingSubRun = null;
                usage = usage.plus(e.usage());
                turns += e.turns();
                agentUsage.merge(e.agentId(), e.usage(), Usage::plus);
                agentTurns.merge(e.agentId(), e.turns(), Integer::sum);
                if (e.outcome() instanceof Outcome.Completed completed) {
                    // Under a response schema the child's structured payload is the answer, as a model's JSON is.
                    String answer = completed.payload() != null && turn.started.responseSchema() != null
                            ? completed.payload()
                            : completed.result();
                    turn.finalAnswer = new ModelResponse(answer, List.of(), e.usage());
                    turn.finalAnswerStep = e.step();
                } else {
                    turn.failure = "team '" + e.agentId() + "' did not complete: "
                            + e.outcome().describe();
                }
            }
            case RunFinished e -> finished = e;
        }
    }

    /** Whether some receiver of {@code messageId} is still working on its answer. */
    boolean awaitsAnswerTo(String messageId) {
        for (Turn turn : openTurns.values()) {
            if (turn.request.id().equals(messageId)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the deadline of {@code messageId} passed with answers outstanding. */
    boolean deadlinePassed(String messageId) {
        return deadlinePassedAt.containsKey(messageId);
    }

    /** Whether {@code reply} came after the deadline of the message it answers had passed. */
    boolean isLate(Message reply) {
        Integer passedAt = reply.inReplyTo() == null ? null : deadlinePassedAt.get(reply.inReplyTo());
        Integer index = messageIndex.get(reply.id());
        return passedAt != null && index != null && index >= passedAt;
    }

    /**
     * The messages addressed to {@code agentId} since its last turn that it has not seen another way: notices
     * such as REJECT, CANCEL or shared INFORMs. Requests and the answers to requests are excluded, since they
     * reach it as turns and tool outputs.
     */
    private List<Message> inbox(String agentId, Message request) {
        AgentSpec agent = agent(agentId);
        List<Message> inbox = new ArrayList<>();
        for (int i = perceivedUpTo.getOrDefault(agentId, 0); i < messages.size(); i++) {
            Message message = messages.get(i);
            Message answered = message.inReplyTo() == null ? null : messagesById.get(message.inReplyTo());
            if (message != request
                    && !message.sender().equals(agentId)
                    && !message.performative().expectsReply()
                    && (answered == null || !answered.performative().expectsReply())
                    && addresses(message.receivers(), agent)) {
                inbox.add(message);
            }
        }
        return inbox;
    }

    private static boolean addresses(Receivers receivers, AgentSpec agent) {
        return switch (receivers) {
            case Receivers.Agents agents -> agents.ids().contains(agent.id());
            case Receivers.Role role -> role.role().equals(agent.role());
            case Receivers.Everyone everyone -> true;
        };
    }

    private void onMessage(Message message) {
        messageIndex.put(message.id(), messages.size());
        messages.add(message);
        messagesById.put(message.id(), message);
        if (message.sender().equals(Message.COORDINATOR)
                && !message.performative().expectsReply()) {
            mechanismEpoch++; // a notice: the mechanism moves on at once
        }
        if (message.inReplyTo() == null) {
            return;
        }
        Turn turn = openTurns.remove(TurnStarted.turnId(message.inReplyTo(), message.sender()));
        if (turn == null) {
            return;
        }
        List<ChatMessage> memory = memories.computeIfAbsent(turn.agentId(), k -> new ArrayList<>());
        for (Message notice : turn.inbox) {
            memory.add(new ChatMessage.User(Prompts.perceive(notice, null)));
        }
        memory.add(new ChatMessage.User(Prompts.perceive(turn.request, turn.started.responseSchema())));
        memory.add(new ChatMessage.Assistant(message.body(), List.of()));
        if (!turn.isDelegated()) {
            mechanismEpoch++;
        }
    }

    private Turn turn(@Nullable String turnId) {
        Turn turn = turnId == null ? null : openTurns.get(turnId);
        if (turn == null) {
            throw new IllegalStateException("no open turn " + turnId);
        }
        return turn;
    }
}
