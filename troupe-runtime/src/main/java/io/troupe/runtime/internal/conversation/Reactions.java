package io.troupe.runtime.internal.conversation;

import io.troupe.api.intercept.Point;
import io.troupe.api.model.Usage;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.DeadlinePassed;
import io.troupe.api.run.JournalEvent.LlmReissued;
import io.troupe.api.run.JournalEvent.LlmRequested;
import io.troupe.api.run.JournalEvent.MessageSent;
import io.troupe.api.run.JournalEvent.RunFinished;
import io.troupe.api.run.JournalEvent.RunResumed;
import io.troupe.api.run.JournalEvent.RunStarted;
import io.troupe.api.run.JournalEvent.SubRunRequested;
import io.troupe.api.run.JournalEvent.ToolRequested;
import io.troupe.runtime.internal.state.ConversationState;
import io.troupe.runtime.internal.state.Draft;
import io.troupe.runtime.internal.state.TurnState;
import io.troupe.runtime.internal.turn.Seam;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.jspecify.annotations.Nullable;

/**
 * What a conversation sets going once a batch is journaled, and what a recovered run sets going again: the model
 * calls, tools and child runs its steps request, the interceptor chains its plan waits for, the timers of its deadlines
 * and wall clock, and the replies to those who wait for its start; when the run ends, it stops everything still in
 * flight. The entity decides and journals; this acts on what is journaled, so a call starts only after the batch that
 * requests it is. Nothing here changes the state. Used only from the entity's thread.
 */
final class Reactions {
    private final String conversationId;
    private final Calls calls;
    private final SeamGate seam;
    private final ChildRuns children;
    private final Timers timers;
    private final Followers followers;
    /** Passivates the entity. */
    private final Runnable passivate;
    /** Who waits for the run to be journaled while its task is checked. */
    private final List<ActorRef<ConversationEntity.Started>> startWaiters = new ArrayList<>();

    Reactions(
            String conversationId,
            Calls calls,
            SeamGate seam,
            ChildRuns children,
            Timers timers,
            Followers followers,
            Runnable passivate) {
        this.conversationId = conversationId;
        this.calls = calls;
        this.seam = seam;
        this.children = children;
        this.timers = timers;
        this.followers = followers;
        this.passivate = passivate;
    }

    /** Tells {@code waiter} once the run's start is journaled. */
    void awaitStart(ActorRef<ConversationEntity.Started> waiter) {
        startWaiters.add(waiter);
    }

    /**
     * Acts on {@code events}, journaled as one batch from {@code draft} at position {@code firstIndex} of the history,
     * which led to {@code state}: hands them to the subscribers, then starts what they request.
     */
    void journaled(ConversationState state, long firstIndex, List<JournalEvent> events, Draft draft) {
        followers.publish(firstIndex, events);
        for (JournalEvent event : events) {
            switch (event) {
                case RunStarted started -> {
                    timers.wallClock(state);
                    startWaiters.forEach(
                            w -> w.tell(new ConversationEntity.Started(started.conversationId(), started.startedAt())));
                    startWaiters.clear();
                }
                case RunResumed resumed -> timers.wallClock(state);
                case MessageSent sent -> timers.deadline(sent.message());
                case DeadlinePassed passed -> stopLateTurns(state, passed.messageId());
                case SubRunRequested requested -> children.start(state, requested, true);
                case LlmRequested requested -> calls.model(requested, parentOf(state), followers.tokenSink(requested));
                case LlmReissued reissued -> {
                    LlmRequested requested = followers.request(reissued.step());
                    if (requested != null) {
                        calls.model(requested, parentOf(state), followers.tokenSink(requested));
                    }
                }
                case ToolRequested requested -> {
                    if (state.isPendingToolStep(requested.step())) {
                        calls.tool(requested);
                    }
                }
                case RunFinished finished -> {
                    timers.stopWallClock();
                    String ended = "ended (" + finished.outcome().describe() + ")";
                    calls.cancelAll("stopped: the run " + ended);
                    seam.cancelAll();
                    children.cancelAll("cancelled: the parent run " + conversationId + " " + ended);
                    passivate.run(); // a finished run frees its memory at once
                }
                default -> {}
            }
        }
        if (!state.isFinished()) {
            seam.startChains(state, draft);
        }
    }

    /**
     * Sets going again what the recovered, unfinished run {@code state} was waiting for: its tools and child runs, and
     * the timers of its deadlines (its wall clock is the entity's to re-arm, which knows whether the run was down).
     *
     * @return the events to journal before the model calls it was waiting for are issued again
     */
    List<JournalEvent> recovered(ConversationState state) {
        List<JournalEvent> reissued = new ArrayList<>();
        for (JournalEvent event : followers.history()) {
            switch (event) {
                case LlmRequested requested
                when state.isPendingModelStep(requested.step()) ->
                    // The abandoned attempt cost its prompt at least: charge it, and count it as a turn.
                    reissued.add(new LlmReissued(
                            requested.step(), requested.agentId(), Usage.of(requested.estimatedInputTokens(), 0)));
                case ToolRequested requested
                when state.isPendingToolStep(requested.step())
                        && state.interception(Seam.stepKey(requested.step(), Point.TOOL_OUTPUT)) == null ->
                    calls.tool(requested);
                case SubRunRequested requested
                when state.ownerOf(requested.step()) != null -> children.start(state, requested, false);
                case MessageSent sent
                when !state.deadlinePassed(sent.message().id())
                        && state.awaitsAnswerTo(sent.message().id()) -> timers.deadline(sent.message());
                default -> {}
            }
        }
        return reissued;
    }

    /**
     * Stops the model calls of the turns still answering {@code messageId}, whose deadline has passed: their answers
     * would only be late, so they fail instead (a late bidder refuses) and spend no more.
     */
    private void stopLateTurns(ConversationState state, String messageId) {
        for (TurnState turn : state.openTurns()) {
            if (turn.request().id().equals(messageId) && turn.pendingLlmStep() != null) {
                calls.cancelModel(
                        turn.pendingLlmStep(), "stopped: the deadline of message " + messageId + " passed first");
            }
        }
    }

    private static @Nullable String parentOf(ConversationState state) {
        return state.started().parentConversationId();
    }
}
