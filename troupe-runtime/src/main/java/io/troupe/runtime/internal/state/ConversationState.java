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
import org.jspecify.annotations.Nullable;

/**
 * Everything a conversation needs to decide its next step, rebuilt from the journal. The fields are private and
 * only {@link #apply} changes them, so the same events always give the same state.
 *
 * <p>The entity's event handler applies journaled events. To plan, the planner takes a {@link #draft}: a fork that
 * shares this state's storage until one side writes (collections are copied on first write, logs are persistent),
 * applies the events it plans to the fork, and the entity adopts the fork once those events are journaled. This
 * state is never changed by planning. Not thread-safe: used by one entity at a time.
 *
 * <p>This class holds the run itself (its start, end and downtime), its messages and their deadlines, the mechanism's
 * decisions and epoch, and the interceptions, and it is the fold that routes each event to the part it changes. Two
 * parts keep their own books, forked with it: {@link TurnBook}, the agents' turns and the steps they wait for, and
 * {@link Ledger}, what the run has spent.
 */
public final class ConversationState {
    // Set by the constructors only: a fork shares the collections instead of creating empty ones first.
    private @Nullable RunStarted started;
    private @Nullable RunFinished finished;
    /** The time the run was down before it resumed ({@link RunResumed}): its wall clock does not count it. */
    private Duration downtime = Duration.ZERO;

    private MessageLog messages;

    private Cow<String, Integer> deadlinePassedAt;
    private Log<DecisionRecord> decisions;
    private TurnBook turns;

    private Cow<String, InterceptionRecord> interceptions;
    private Ledger ledger;
    private int mechanismEpoch;

    /** The state of a conversation with no events. */
    public ConversationState() {
        messages = MessageLog.empty();
        deadlinePassedAt = new Cow<>();
        decisions = Log.empty();
        turns = new TurnBook();
        interceptions = new Cow<>();
        ledger = new Ledger();
    }

    /** A fork of {@code from}, which shares its storage until one side writes; see {@link #fork()}. */
    private ConversationState(ConversationState from) {
        started = from.started;
        finished = from.finished;
        downtime = from.downtime;
        messages = from.messages;
        deadlinePassedAt = from.deadlinePassedAt.fork();
        decisions = from.decisions;
        turns = from.turns.fork();
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
        return turns.nextStep();
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
        return turns.openTurns();
    }

    public @Nullable TurnState openTurn(String turnId) {
        return turns.openTurn(turnId);
    }

    /** The open turn that owns the pending model, tool or child-run step {@code step}, if any. */
    public @Nullable TurnState ownerOf(int step) {
        return turns.ownerOf(step);
    }

    /** Whether tool step {@code step} waits for a tool to run (a delegation waits for a turn instead). */
    public boolean isPendingToolStep(int step) {
        return turns.isPendingToolStep(step);
    }

    /** Whether model step {@code step} is requested and not yet answered. */
    public boolean isPendingModelStep(int step) {
        return turns.isPendingModelStep(step);
    }

    /** {@code agentId}'s closed turns, oldest first: its memory across turns. */
    public List<Exchange> memory(String agentId) {
        return turns.memory(agentId);
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
        return turns.awaitsAnswerTo(messageId);
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
        return turns.anyCallInFlight();
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
                turns.start(e, member(e.agentId()), request, messages);
            }
            case LlmRequested e -> {
                turns.requested(e.turnId(), e.step()).llmRequested(e.step());
                Integer limit = e.request().maxOutputTokens();
                ledger.modelCalled(
                        e.step(),
                        e.agentId(),
                        e.model(),
                        e.promptHash(),
                        e.estimatedInputTokens(),
                        limit == null ? 0 : limit);
            }
            case RunResumed e -> downtime = downtime.plus(e.downtime());
            // The abandoned attempt's prompt is charged, but the call is the same turn: a crash must not use up turns.
            case LlmReissued e -> ledger.charge(e.agentId(), e.charged());
            case LlmCompleted e -> {
                TurnState turn = turns.returned(e.step());
                ledger.release(e.step());
                ledger.charge(e.agentId(), e.response().usage());
                turn.llmAnswered(e.step(), e.response());
            }
            case LlmFailed e -> {
                TurnState turn = turns.returned(e.step());
                ledger.release(e.step());
                turn.llmFailed(e.error());
            }
            case ToolCallRejected e -> turns.forWrite(e.turnId()).callRefused(e.call(), e.reason(), e.attempt());
            case ToolRequested e -> turns.requested(e.turnId(), e.step()).toolRequested(e.step(), e.call());
            case ToolCompleted e -> turns.toolCompleted(e);
            case AnswerRejected e -> turns.forWrite(e.turnId()).answerRefused(e.reason(), e.attempt());
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
                turns.requested(e.turnId(), e.step()).subRunRequested(e.step());
                ledger.subRunStarted(e.step(), e.budget());
            }
            case SubRunCompleted e -> {
                TurnState turn = turns.returned(e.step());
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

    private void onMessage(Message message) {
        messages = messages.append(message);
        if (message.sender().equals(Message.COORDINATOR)
                && !message.performative().expectsReply()) {
            mechanismEpoch++; // a notice: the mechanism moves on at once
        }
        TurnState closed = turns.close(message);
        if (closed != null && !closed.isDelegated()) {
            mechanismEpoch++; // an answer the mechanism asked for: it has something new to consider
        }
    }
}
