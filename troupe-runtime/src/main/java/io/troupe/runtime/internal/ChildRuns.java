package io.troupe.runtime.internal;

import io.troupe.api.event.JournalEvent.RunFinished;
import io.troupe.api.event.JournalEvent.SubRunCompleted;
import io.troupe.api.event.JournalEvent.SubRunRequested;
import io.troupe.api.team.TeamSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.jspecify.annotations.Nullable;

/**
 * A conversation's child runs: the runs of members that are teams. Each is a conversation entity of its own, started
 * (or rejoined after recovery) with the budget its {@link SubRunRequested} gives; its events come back through a
 * message adapter, and its end becomes the {@link SubRunCompleted} the parent journals. When the parent ends first,
 * its children are cancelled. Used only from the entity's thread.
 */
final class ChildRuns {
    private final ActorContext<ConversationEntity.Command> context;
    /** Child runs in progress, by child conversation id. */
    private final Map<String, SubRunRequested> inProgress = new HashMap<>();

    private @Nullable ActorRef<RunUpdate> adapter;

    ChildRuns(ActorContext<ConversationEntity.Command> context) {
        this.context = context;
    }

    /** Starts the child run of {@code requested}; after recovery, sending Start again rejoins the running child. */
    void start(ConversationState state, SubRunRequested requested) {
        inProgress.put(requested.childConversationId(), requested);
        if (adapter == null) {
            adapter = context.messageAdapter(RunUpdate.class, ConversationEntity.ChildUpdate::new);
        }
        TeamSpec inner = Objects.requireNonNull(state.agent(requested.agentId()).team());
        TeamSpec child = new TeamSpec(inner.name(), inner.members(), inner.mechanism(), requested.budget());
        ClusterSharding.get(context.getSystem())
                .entityRefFor(ConversationEntity.TYPE_KEY, requested.childConversationId())
                .tell(new ConversationEntity.Start(child, requested.task(), adapter));
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
        String owner = state.stepOwners.get(requested.step());
        Turn turn = owner == null ? null : state.openTurns.get(owner);
        if (state.isFinished()
                || turn == null
                || !Integer.valueOf(requested.step()).equals(turn.pendingSubRun)) {
            return null;
        }
        return new SubRunCompleted(
                requested.step(), requested.agentId(), finished.outcome(), finished.usage(), finished.turns());
    }
}
