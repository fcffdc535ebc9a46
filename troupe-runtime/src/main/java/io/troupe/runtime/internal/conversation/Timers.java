package io.troupe.runtime.internal.conversation;

import io.troupe.api.protocol.Message;
import io.troupe.runtime.internal.state.ConversationState;
import io.troupe.runtime.internal.turn.Budgets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.jspecify.annotations.Nullable;

/**
 * A conversation's timers: its wall-clock budget, the deadlines of its messages, and the check that lets an idle
 * entity go. Pekko's scheduler refuses delays of more than about 248 days, so a moment further away is reached in
 * steps of at most {@link #MAX_TIMER}: each handler schedules the next step while the moment is still ahead. Used
 * only from the entity's thread.
 */
final class Timers {
    /** The longest single timer. */
    private static final Duration MAX_TIMER = Duration.ofDays(1);
    /** How long an idle entity (its run not started, finished, or not this node's to run) stays in memory. */
    private static final Duration IDLE_AFTER = Duration.ofSeconds(30);

    private final ActorContext<ConversationEntity.Command> context;
    private final Clock clock;
    private @Nullable Cancellable wallClock;

    Timers(ActorContext<ConversationEntity.Command> context, Clock clock) {
        this.context = context;
        this.clock = clock;
    }

    /** Wakes the entity at the deadline of {@code message}, if it has one and asks for answers. */
    void deadline(Message message) {
        if (message.deadline() != null && message.performative().expectsReply()) {
            wakeAt(message.deadline(), new Notices.DeadlineDue(message.id()));
        }
    }

    /** Wakes the entity when the run's wall-clock budget runs out, replacing any earlier wall-clock timer. */
    void wallClock(ConversationState state) {
        stopWallClock();
        wallClock = wakeAt(wallDeadline(state), new Notices.WallClockDue());
    }

    /**
     * Asks the entity, in a while, whether it is still idle, so that it then frees its memory: a run that has started
     * meanwhile, or that this node can now run, stays.
     */
    void idle() {
        context.scheduleOnce(IDLE_AFTER, context.getSelf(), new Notices.Idle());
    }

    void stopWallClock() {
        if (wallClock != null) {
            wallClock.cancel();
        }
    }

    /** When the run's wall-clock budget runs out. */
    static Instant wallDeadline(ConversationState state) {
        return Budgets.deadline(state.team().budget(), state.wallClockStart());
    }

    private Cancellable wakeAt(Instant when, ConversationEntity.Command command) {
        Duration wait = Duration.between(clock.instant(), when);
        if (wait.isNegative()) {
            wait = Duration.ZERO;
        } else if (wait.compareTo(MAX_TIMER) > 0) {
            wait = MAX_TIMER;
        }
        return context.scheduleOnce(wait, context.getSelf(), command);
    }
}
