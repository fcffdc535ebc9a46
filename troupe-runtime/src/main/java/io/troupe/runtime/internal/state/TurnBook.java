package io.troupe.runtime.internal.state;

import io.troupe.api.protocol.Message;
import io.troupe.api.run.JournalEvent.ToolCompleted;
import io.troupe.api.run.JournalEvent.TurnStarted;
import io.troupe.api.team.Member;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The agents' turns in a conversation: the turns open, the model, tool and child-run steps each waits for, the turns
 * that {@code delegate} calls wait for, and each agent's closed turns (its memory) with how far it has perceived the
 * messages. Part of {@link ConversationState}, as {@link Ledger} is: forked with it, copied on first write, and
 * changed only by its fold, which finds here the turn an event is about.
 *
 * <p>A fork shares the open turns too: each state has an owner token, and changes a turn in place only if the turn
 * carries its token; otherwise it copies the turn first ({@link TurnState#ownedBy}). Not thread-safe.
 */
final class TurnBook {
    // Set by the constructors only: a fork shares the collections instead of creating empty ones first.
    /** Identifies the turns this book may change in place; a fork gets a new one, and so does the original. */
    private Object owner;

    private int lastStep;
    private Cow<String, TurnState> openTurns;
    private Cow<Integer, String> stepOwners;
    private Cow<Integer, String> delegatedTurnsByStep;
    private Cow<String, Log<Exchange>> memories;
    private Cow<String, Integer> perceivedUpTo;

    /** The turns of a conversation with no events. */
    TurnBook() {
        owner = new Object();
        openTurns = new Cow<>();
        stepOwners = new Cow<>();
        delegatedTurnsByStep = new Cow<>();
        memories = new Cow<>();
        perceivedUpTo = new Cow<>();
    }

    /** A fork of {@code from}: see {@link #fork()}. */
    private TurnBook(TurnBook from) {
        from.owner = new Object(); // neither side may change the turns they now share in place
        owner = new Object();
        lastStep = from.lastStep;
        openTurns = from.openTurns.fork();
        stepOwners = from.stepOwners.fork();
        delegatedTurnsByStep = from.delegatedTurnsByStep.fork();
        memories = from.memories.fork();
        perceivedUpTo = from.perceivedUpTo.fork();
    }

    /** A fork of this book, which shares its storage (and its turns) until one side writes. */
    TurnBook fork() {
        return new TurnBook(this);
    }

    // ---- Reading ----

    /** The step number for the next model, tool or child-run call. */
    int nextStep() {
        return lastStep + 1;
    }

    /** Open turns, in the order they started. */
    List<TurnState> openTurns() {
        return List.copyOf(openTurns.read().values());
    }

    @Nullable
    TurnState openTurn(String turnId) {
        return openTurns.get(turnId);
    }

    /** The open turn that owns the pending model, tool or child-run step {@code step}, if any. */
    @Nullable
    TurnState ownerOf(int step) {
        String turnId = stepOwners.get(step);
        return turnId == null ? null : openTurns.get(turnId);
    }

    /** Whether tool step {@code step} waits for a tool to run (a delegation waits for a turn instead). */
    boolean isPendingToolStep(int step) {
        TurnState turn = ownerOf(step);
        return turn != null && turn.pendingTools().containsKey(step) && !delegatedTurnsByStep.containsKey(step);
    }

    /** Whether model step {@code step} is requested and not yet answered. */
    boolean isPendingModelStep(int step) {
        TurnState turn = ownerOf(step);
        return turn != null && Integer.valueOf(step).equals(turn.pendingLlmStep());
    }

    /** {@code agentId}'s closed turns, oldest first: its memory across turns. */
    List<Exchange> memory(String agentId) {
        return memories.getOrDefault(agentId, Log.empty());
    }

    /** Whether some receiver of {@code messageId} is still working on its answer. */
    boolean awaitsAnswerTo(String messageId) {
        for (TurnState turn : openTurns.read().values()) {
            if (turn.request().id().equals(messageId)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any model call, child run or tool is in flight. */
    boolean anyCallInFlight() {
        Map<Integer, String> delegated = delegatedTurnsByStep.read();
        for (TurnState turn : openTurns.read().values()) {
            if (turn.hasCallInFlight(delegated)) {
                return true;
            }
        }
        return false;
    }

    // ---- Changes, made by the fold ----

    /**
     * Opens the turn {@code started} of {@code agent} answering {@code request}, with the notices addressed to the
     * agent in {@code messages} since its last turn.
     */
    void start(TurnStarted started, Member agent, Message request, MessageLog messages) {
        List<Message> inbox = messages.inbox(agent, request, perceivedUpTo.getOrDefault(started.agentId(), 0));
        openTurns.write().put(started.turnId(), new TurnState(started, request, inbox, owner));
        perceivedUpTo.write().put(started.agentId(), messages.size());
        if (started.parentStep() != null) {
            delegatedTurnsByStep.write().put(started.parentStep(), started.turnId());
        }
    }

    /** Makes turn {@code turnId} the owner of the step {@code step} it requests; returns the turn, to change. */
    TurnState requested(String turnId, int step) {
        TurnState turn = forWrite(turnId);
        lastStep = Math.max(lastStep, step);
        stepOwners.write().put(step, turn.id());
        return turn;
    }

    /** The turn that owned step {@code step}, to change: its call has returned, so it no longer owns it. */
    TurnState returned(int step) {
        TurnState turn = forWrite(stepOwner(step));
        stepOwners.write().remove(step);
        return turn;
    }

    /** Records a tool's output in the turn that waited for it, and ends the delegation the step was, if it was one. */
    void toolCompleted(ToolCompleted completed) {
        TurnState turn = returned(completed.step());
        delegatedTurnsByStep.write().remove(completed.step());
        if (!turn.toolCompleted(
                completed.step(),
                completed.toolCallId(),
                completed.result().content(),
                completed.result().error())) {
            throw new IllegalStateException("ToolCompleted for step " + completed.step() + " that is not pending");
        }
    }

    /** The open turn {@code turnId}, to change: copied first if this book does not own it. */
    TurnState forWrite(String turnId) {
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

    /**
     * Closes the turn that {@code reply} answers, if one is open, and adds it to its agent's memory.
     *
     * @return the closed turn, or null if {@code reply} closed none
     */
    @Nullable
    TurnState close(Message reply) {
        if (reply.inReplyTo() == null) {
            return null;
        }
        String turnId = TurnStarted.turnId(reply.inReplyTo(), reply.sender());
        TurnState turn = openTurns.get(turnId);
        if (turn == null) {
            return null;
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
                                        reply)),
                        (old, added) -> old.append(added.getFirst()));
        return turn;
    }

    private String stepOwner(int step) {
        String turnId = stepOwners.get(step);
        if (turnId == null) {
            throw new IllegalStateException("no open turn owns step " + step);
        }
        return turnId;
    }
}
