package io.troupe.runtime.internal.state;

import io.troupe.api.intercept.Point;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.protocol.Message;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.AnswerRejected;
import io.troupe.api.run.JournalEvent.ApprovalDecided;
import io.troupe.api.run.JournalEvent.DeadlinePassed;
import io.troupe.api.run.JournalEvent.DecisionRecorded;
import io.troupe.api.run.JournalEvent.Intercepted;
import io.troupe.api.run.JournalEvent.LlmCompleted;
import io.troupe.api.run.JournalEvent.LlmFailed;
import io.troupe.api.run.JournalEvent.LlmReissued;
import io.troupe.api.run.JournalEvent.LlmRequested;
import io.troupe.api.run.JournalEvent.MessageSent;
import io.troupe.api.run.JournalEvent.RunFinished;
import io.troupe.api.run.JournalEvent.RunResumed;
import io.troupe.api.run.JournalEvent.RunStarted;
import io.troupe.api.run.JournalEvent.SubRunCompleted;
import io.troupe.api.run.JournalEvent.SubRunRequested;
import io.troupe.api.run.JournalEvent.ToolCallRejected;
import io.troupe.api.run.JournalEvent.ToolCompleted;
import io.troupe.api.run.JournalEvent.ToolRequested;
import io.troupe.api.run.JournalEvent.TurnStarted;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.Member;
import io.troupe.api.team.TeamSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything a conversation needs to decide its next step, rebuilt from the journal. The fields are private and
 * only {@link #apply} changes them, so the same events always give the same state.
 *
 * <p>The entity's event handler applies journaled events. To plan, the planner takes a {@link #draft}: a fork that
 * shares this state's storage until one side writes (collections are copied on first write, logs are persistent),
 * applies the events it plans to the fork, and the entity adopts the fork once those events are journaled. This
 * state is never changed by planning. Not thread-safe: used by one entity at a time.
 */
public final class ConversationState {
    // Set by the constructors only: a fork shares the collections instead of creating empty ones first.
    /** Identifies the turns this state may change in place; a fork gets a new one, and so does the original. */
    private Object owner;

    private @Nullable RunStarted started;
    private @Nullable RunFinished finished;
    /** The time the run was down before it resumed ({@link RunResumed}): its wall clock does not count it. */
    private Duration downtime = Duration.ZERO;

    private int lastStep;
    private MessageLog messages;

    private Cow<String, Integer> deadlinePassedAt;
    private Log<DecisionRecord> decisions;
    private Cow<String, TurnState> openTurns;
    private Cow<Integer, String> stepOwners;
    private Cow<Integer, String> delegatedTurnsByStep;
    private Cow<String, Log<Exchange>> memories;
    private Cow<String, Integer> perceivedUpTo;

    private Cow<String, InterceptionRecord> interceptions;
    private Ledger ledger;
    private int mechanismEpoch;

    /** The state of a conversation with no events. */
    public ConversationState() {
        owner = new Object();
        messages = MessageLog.empty();
        deadlinePassedAt = new Cow<>();
        decisions = Log.empty();
        openTurns = new Cow<>();
        stepOwners = new Cow<>();
        delegatedTurnsByStep = new Cow<>();
        memories = new Cow<>();
        perceivedUpTo = new Cow<>();
        interceptions = new Cow<>();
        ledger = new Ledger();
    }

    /** A fork of {@code from}, which shares its storage until one side writes; see {@link #fork()}. */
    private ConversationState(ConversationState from) {
        from.owner = new Object(); // neither side may change the turns they now share in place
        owner = new Object();
        started = from.started;
        finished = from.finished;
        downtime = from.downtime;
        lastStep = from.lastStep;
        messages = from.messages;
        deadlinePassedAt = from.deadlinePassedAt.fork();
        decisions = from.decisions;
        openTurns = from.openTurns.fork();
        stepOwners = from.stepOwners.fork();
        delegatedTurnsByStep = from.delegatedTurnsByStep.fork();
        memories = from.memories.fork();
        perceivedUpTo = from.perceivedUpTo.fork();
        interceptions = from.interceptions.fork();
        ledger = from.ledger.fork();
        mechanismEpoch = from.mechanismEpoch;
    }

    /** A fork of this state to plan on, at {@code now}; see {@link Draft}. */
    public Draft draft(java.time.Instant now) {
        return new Draft(fork(), now);
    }

    private ConversationState fork() {
        return new ConversationState(this);
    }

    // ---- Reading ----

    public boolean isStarted() {
        return started != null;
    }

    public boolean isFinished() {
        return finished != null;
    }

    public RunStarted started() {
        if (started == null) {
            throw new IllegalStateException("the conversation has not started");
        }
        return started;
    }

    /**
     * Where the run's wall clock starts: its start, moved on by the time it was down before it resumed, so that a
     * crash and a resume do not spend its wall-clock budget.
     */
    public Instant wallClockStart() {
        return started().startedAt().plus(downtime);
    }

    public @Nullable RunFinished finished() {
        return finished;
    }

    public TeamSpec team() {
        return started().team();
    }

    public String conversationId() {
        return started().conversationId();
    }

    /** The member with id {@code id}. */
    public Member member(String id) {
        return team().member(id)
                .orElseThrow(() -> new IllegalStateException("'" + id + "' is not a member of the team"));
    }

    /** The step number for the next model, tool or child-run call. */
    public int nextStep() {
        return lastStep + 1;
    }

    public @Nullable Outcome outcome() {
        return finished == null ? null : finished.outcome();
    }

    /** Every message so far, oldest first. */
    public List<Message> messages() {
        return messages.all();
    }

    /** The message with id {@code id}, if it was sent. */
    public @Nullable Message message(String id) {
        return messages.byId(id);
    }

    /** The mechanism's decisions, oldest first. */
    public List<DecisionRecord> decisions() {
        return decisions;
    }

    /** Open turns, in the order they started. */
    public List<TurnState> openTurns() {
        return List.copyOf(openTurns.read().values());
    }

    public @Nullable TurnState openTurn(String turnId) {
        return openTurns.get(turnId);
    }

    /** The open turn that owns the pending model, tool or child-run step {@code step}, if any. */
    public @Nullable TurnState ownerOf(int step) {
        String turnId = stepOwners.get(step);
        return turnId == null ? null : openTurns.get(turnId);
    }

    /** The delegated turns waiting on {@code delegate} tool steps, by step. */
    public Map<Integer, String> delegatedTurnsByStep() {
        return delegatedTurnsByStep.read();
    }

    /** Whether tool step {@code step} waits for a tool to run (a delegation waits for a turn instead). */
    public boolean isPendingToolStep(int step) {
        TurnState turn = ownerOf(step);
        return turn != null && turn.pendingTools().containsKey(step) && !delegatedTurnsByStep.containsKey(step);
    }

    /** Whether model step {@code step} is requested and not yet answered. */
    public boolean isPendingModelStep(int step) {
        TurnState turn = ownerOf(step);
        return turn != null && Integer.valueOf(step).equals(turn.pendingLlmStep());
    }

    /** {@code agentId}'s closed turns, oldest first: its memory across turns. */
    public List<Exchange> memory(String agentId) {
        return memories.getOrDefault(agentId, Log.empty());
    }

    /** What the run has spent and holds in reserve. */
    public Ledger ledger() {
        return ledger;
    }

    /** Grows each time the mechanism has something new to consider: it is asked again once per epoch. */
    public int mechanismEpoch() {
        return mechanismEpoch;
    }

    /** Whether some receiver of {@code messageId} is still working on its answer. */
    public boolean awaitsAnswerTo(String messageId) {
        for (TurnState turn : openTurns.read().values()) {
            if (turn.request().id().equals(messageId)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the deadline of {@code messageId} passed with answers outstanding. */
    public boolean deadlinePassed(String messageId) {
        return deadlinePassedAt.containsKey(messageId);
    }

    /** Whether {@code reply} came after the deadline of the message it answers had passed. */
    public boolean isLate(Message reply) {
        Integer passedAt = reply.inReplyTo() == null ? null : deadlinePassedAt.get(reply.inReplyTo());
        return passedAt != null && messages.indexOf(reply.id()) >= passedAt;
    }

    /** Whether any model call, child run or tool is in flight. */
    public boolean anyCallInFlight() {
        Map<Integer, String> delegated = delegatedTurnsByStep.read();
        for (TurnState turn : openTurns.read().values()) {
            if (turn.hasCallInFlight(delegated)) {
                return true;
            }
        }
        return false;
    }

    /** What the journal says about interception {@code key}, if anything. */
    public @Nullable InterceptionRecord interception(String key) {
        return interceptions.get(key);
    }

    /** Every interception record, in the order of their first ruling. */
    public List<InterceptionRecord> interceptions() {
        return List.copyOf(interceptions.read().values());
    }

    /** The interception key of the task. */
    public static final String TASK_KEY = "task";

    // ---- The fold ----

    /** Applies every event of a journaled batch. Called by the entity's event handler, and by drafts. */
    public void apply(List<JournalEvent> events) {
        for (JournalEvent event : events) {
            apply(event);
        }
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
                Message request = message(e.requestId());
                if (request == null) {
                    throw new IllegalStateException("TurnStarted for unknown message " + e.requestId());
                }
                // The notices addressed to the agent since its last turn.
                List<Message> inbox =
                        messages.inbox(member(e.agentId()), request, perceivedUpTo.getOrDefault(e.agentId(), 0));
                openTurns.write().put(e.turnId(), new TurnState(e, request, inbox, owner));
                perceivedUpTo.write().put(e.agentId(), messages.size());
                if (e.parentStep() != null) {
                    delegatedTurnsByStep.write().put(e.parentStep(), e.turnId());
                }
            }
            case LlmRequested e -> {
                TurnState turn = turnForWrite(e.turnId());
                lastStep = Math.max(lastStep, e.step());
                turn.llmRequested(e.step());
                stepOwners.write().put(e.step(), turn.id());
                Integer limit = e.request().maxOutputTokens();
                ledger.modelCalled(
                        e.step(), e.agentId(), e.promptHash(), e.estimatedInputTokens() + (limit == null ? 0 : limit));
            }
            case RunResumed e -> downtime = downtime.plus(e.downtime());
            case LlmReissued e -> {
                ledger.charge(e.agentId(), e.charged());
                ledger.countTurns(e.agentId(), 1);
            }
            case LlmCompleted e -> {
                TurnState turn = turnForWrite(stepOwner(e.step()));
                stepOwners.write().remove(e.step());
                ledger.release(e.step());
                ledger.charge(e.agentId(), e.response().usage());
                turn.llmAnswered(e.step(), e.response());
            }
            case LlmFailed e -> {
                TurnState turn = turnForWrite(stepOwner(e.step()));
                stepOwners.write().remove(e.step());
                ledger.release(e.step());
                turn.llmFailed(e.error());
            }
            case ToolCallRejected e -> turnForWrite(e.turnId()).callRefused(e.call(), e.reason(), e.attempt());
            case ToolRequested e -> {
                TurnState turn = turnForWrite(e.turnId());
                lastStep = Math.max(lastStep, e.step());
                turn.toolRequested(e.step(), e.call());
                stepOwners.write().put(e.step(), turn.id());
            }
            case ToolCompleted e -> {
                TurnState turn = turnForWrite(stepOwner(e.step()));
                stepOwners.write().remove(e.step());
                delegatedTurnsByStep.write().remove(e.step());
                if (!turn.toolCompleted(
                        e.step(),
                        e.toolCallId(),
                        e.result().content(),
                        e.result().error())) {
                    throw new IllegalStateException("ToolCompleted for step " + e.step() + " that is not pending");
                }
            }
            case AnswerRejected e -> turnForWrite(e.turnId()).answerRefused(e.reason(), e.attempt());
            case DeadlinePassed e -> {
                deadlinePassedAt.write().put(e.messageId(), messages.size());
                mechanismEpoch++;
            }
            case DecisionRecorded e -> {
                decisions = decisions.append(e.decision());
                e.decision().payments().forEach(ledger::pay);
                mechanismEpoch++;
            }
            case SubRunRequested e -> {
                TurnState turn = turnForWrite(e.turnId());
                lastStep = Math.max(lastStep, e.step());
                turn.subRunRequested(e.step());
                stepOwners.write().put(e.step(), turn.id());
                ledger.reserve(e.step(), e.budget().maxTokens());
            }
            case SubRunCompleted e -> {
                TurnState turn = turnForWrite(stepOwner(e.step()));
                stepOwners.write().remove(e.step());
                ledger.release(e.step());
                ledger.charge(e.agentId(), e.usage());
                ledger.countTurns(e.agentId(), e.turns());
                if (e.outcome() instanceof Outcome.Completed completed) {
                    // Under a response schema the child's structured payload is the answer, as a model's JSON is.
                    String answer =
                            completed.payload() != null && turn.started().responseSchema() != null
                                    ? completed.payload()
                                    : completed.result();
                    turn.subRunAnswered(e.step(), new ModelResponse(answer, List.of(), e.usage()));
                } else {
                    turn.subRunFailed(
                            "team '" + e.agentId() + "' did not complete: "
                                    + e.outcome().describe(),
                            e.outcome());
                }
            }
            case Intercepted e -> {
                interceptions.write().put(e.key(), InterceptionRecord.of(e));
                if (e.point() == Point.TASK) {
                    mechanismEpoch++; // the mechanism waits for the task's verdicts
                }
            }
            case ApprovalDecided e -> {
                InterceptionRecord record = interceptions.get(e.key());
                if (record == null) {
                    throw new IllegalStateException("ApprovalDecided for unknown interception " + e.key());
                }
                interceptions.write().put(e.key(), record.decided(e));
                if (record.point() == Point.TASK) {
                    mechanismEpoch++;
                }
            }
            case RunFinished e -> finished = e;
        }
    }

    private String stepOwner(int step) {
        String turnId = stepOwners.get(step);
        if (turnId == null) {
            throw new IllegalStateException("no open turn owns step " + step);
        }
        return turnId;
    }

    private TurnState turnForWrite(String turnId) {
        TurnState turn = openTurns.get(turnId);
        if (turn == null) {
            throw new IllegalStateException("no open turn " + turnId);
        }
        TurnState owned = turn.ownedBy(owner);
        if (owned != turn) {
            openTurns.write().put(turnId, owned);
        }
        return owned;
    }

    private void onMessage(Message message) {
        messages = messages.append(message);
        if (message.sender().equals(Message.COORDINATOR)
                && !message.performative().expectsReply()) {
            mechanismEpoch++; // a notice: the mechanism moves on at once
        }
        if (message.inReplyTo() == null) {
            return;
        }
        String turnId = TurnStarted.turnId(message.inReplyTo(), message.sender());
        TurnState turn = openTurns.get(turnId);
        if (turn == null) {
            return;
        }
        openTurns.write().remove(turnId);
        memories.write()
                .merge(
                        turn.agentId(),
                        Log.<Exchange>empty()
                                .append(new Exchange(
                                        turnId,
                                        turn.inbox(),
                                        turn.request(),
                                        turn.started().responseSchema(),
                                        message)),
                        (old, added) -> old.append(added.getFirst()));
        if (!turn.isDelegated()) {
            mechanismEpoch++;
        }
    }
}
