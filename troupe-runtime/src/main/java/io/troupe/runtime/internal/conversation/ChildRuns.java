package io.troupe.runtime.internal.conversation;

import io.troupe.api.run.ChildEvent;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.RunFinished;
import io.troupe.api.run.JournalEvent.SubRunCompleted;
import io.troupe.api.run.JournalEvent.SubRunRequested;
import io.troupe.api.run.RunEvent;
import io.troupe.api.team.Member;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.internal.state.ConversationState;
import io.troupe.runtime.internal.state.TurnState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.jspecify.annotations.Nullable;

/**
 * A conversation's child runs: the runs of members that are teams. Each is a conversation entity of its own, started
 * (or rejoined after recovery) with the budget its {@link SubRunRequested} gives and the parent's interceptors; its
 * events come back through a message adapter, are passed on to the parent's subscribers as {@link ChildEvent}s, and
 * its end becomes the {@link SubRunCompleted} the parent journals. When the parent ends first, its children are
 * cancelled. Used only from the entity's thread.
 */
final class ChildRuns {
    private final ActorContext<ConversationEntity.Command> context;
    /** Child runs in progress, by child conversation id. */
    private final Map<String, SubRunRequested> inProgress = new HashMap<>();
    /** The next journal position expected from each child, to pass each child event on once. */
    private final Map<String, Long> delivered = new HashMap<>();

    /** Whether the parent's subscribers want streamed tokens, which its children then stream to it. */
    private final BooleanSupplier tokensWanted;

    private @Nullable ActorRef<RunUpdate> adapter;

    ChildRuns(ActorContext<ConversationEntity.Command> context, BooleanSupplier tokensWanted) {
        this.context = context;
        this.tokensWanted = tokensWanted;
    }

    /**
     * Starts the child run of {@code requested}; after recovery, sending Start again rejoins the running child.
     * {@code fresh} when the request was just journaled, so that the child's id was never used.
     */
    void start(ConversationState state, SubRunRequested requested, boolean fresh) {
        inProgress.put(requested.childConversationId(), requested);
        if (adapter == null) {
            adapter = context.messageAdapter(RunUpdate.class, Notices.ChildUpdate::new);
        }
        TeamSpec inner = ((Member.Subteam) state.member(requested.agentId())).team();
        // The child runs within the budget the parent gave it, under the parent's interceptors as well as its own.
        TeamSpec child = inner.withBudget(requested.budget())
                .withInterceptors(state.team().interceptors());
        ClusterSharding.get(context.getSystem())
                .entityRefFor(ConversationEntity.TYPE_KEY, requested.childConversationId())
                // The child keeps its parent's metadata (where a server keeps the spec), so that whichever node it
                // lands on can prepare what it needs.
                .tell(new ConversationEntity.Start(
                        child,
                        requested.task(),
                        state.started().metadata(),
                        state.conversationId(),
                        adapter,
                        tokensWanted.getAsBoolean(),
                        fresh,
                        null));
    }

    /** Ends every child run still in progress, since nobody waits for it any more. */
    void cancelAll(String reason) {
        for (String child : inProgress.keySet()) {
            ClusterSharding.get(context.getSystem())
                    .entityRefFor(ConversationEntity.TYPE_KEY, child)
                    .tell(new ConversationEntity.Cancel(reason));
        }
        inProgress.clear();
    }

    /**
     * The events of {@code update} to pass on to the parent's subscribers, each once, as {@link ChildEvent}s: the
     * child's own events tagged with its id, and its children's events as they come.
     */
    List<RunEvent> forward(RunUpdate update) {
        List<RunEvent> out = new ArrayList<>(update.events().size());
        long index = update.firstIndex();
        long next = delivered.getOrDefault(update.conversationId(), 0L);
        for (RunEvent event : update.events()) {
            switch (event) {
                case ChildEvent nested -> out.add(nested);
                case JournalEvent journaled -> {
                    if (index >= 0 && index++ != next) {
                        continue; // already passed on: a restarted child sent its history again
                    }
                    next++;
                    out.add(new ChildEvent(update.conversationId(), journaled));
                }
                default -> out.add(new ChildEvent(update.conversationId(), event));
            }
        }
        delivered.put(update.conversationId(), next);
        return out;
    }

    /**
     * The event that records the end of a child run, if {@code update} ends one that the parent still waits for;
     * otherwise null.
     */
    @Nullable
    SubRunCompleted completed(ConversationState state, RunUpdate update) {
        SubRunRequested requested = inProgress.get(update.conversationId());
        if (requested == null
                || update.events().isEmpty()
                || !(update.events().getLast() instanceof RunFinished finished)) {
            return null;
        }
        inProgress.remove(update.conversationId());
        TurnState turn = state.ownerOf(requested.step());
        if (state.isFinished()
                || turn == null
                || !Integer.valueOf(requested.step()).equals(turn.pendingSubRun())) {
            return null;
        }
        return new SubRunCompleted(
                requested.step(), requested.agentId(), finished.outcome(), finished.usage(), finished.turns());
    }
}
