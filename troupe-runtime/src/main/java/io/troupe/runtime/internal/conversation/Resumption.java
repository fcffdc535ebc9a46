package io.troupe.runtime.internal.conversation;

import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.RunResumed;
import io.troupe.runtime.internal.conversation.Notices.Reissue;
import io.troupe.runtime.internal.conversation.Notices.Tick;
import io.troupe.runtime.internal.state.ConversationState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * How a recovered conversation goes on: once the journal is replayed, an unfinished run that this node can run (after
 * the catalog has prepared it, if it must) journals how long it was down, issues again the calls it was waiting for
 * and re-arms its timers. It acts through the entity's own commands ({@link Reissue}, {@link Tick}), so that what it
 * journals goes through the planner as any other step does. Used only from the entity's thread.
 */
final class Resumption {
    private final ActorRef<ConversationEntity.Command> self;
    private final Preparation preparation;
    private final Followers followers;
    private final Reactions reactions;
    private final Timers timers;
    private final Clock clock;
    /** When this entity's node started: a run whose last step is older was down until it resumed here. */
    private final Instant nodeStartedAt;

    Resumption(
            ActorRef<ConversationEntity.Command> self,
            Preparation preparation,
            Followers followers,
            Reactions reactions,
            Timers timers,
            Clock clock,
            Instant nodeStartedAt) {
        this.self = self;
        this.preparation = preparation;
        this.followers = followers;
        this.reactions = reactions;
        this.timers = timers;
        this.clock = clock;
        this.nodeStartedAt = nodeStartedAt;
    }

    /** Goes on with the run the journal rebuilt, once the catalog has prepared it if it must. */
    void recovered(ConversationState state) {
        if (!state.isStarted()) {
            return;
        }
        if (!state.isFinished()
                && preparation.needed(state.team(), state.started().metadata())) {
            preparation.prepare(state.team(), state.started().metadata(), null);
            return;
        }
        resume(state);
    }

    /**
     * Goes on with a recovered run: journals how long it was down if its node started after its last step, issues
     * again the calls it was waiting for, and re-arms its timers.
     */
    void resume(ConversationState state) {
        if (state.isFinished() || !preparation.runnable(state)) {
            // A run this node cannot run is left untouched, for a node that has what it needs.
            timers.idle();
            return;
        }
        List<JournalEvent> reissued = new ArrayList<>();
        Instant last = followers.lastActive();
        boolean wasDown = last != null && last.isBefore(nodeStartedAt);
        if (wasDown) {
            // The process that ran it stopped (or the run waited for a person, who decided from another process): that
            // time is not the run's to spend.
            Instant now = clock.instant();
            reissued.add(new RunResumed(now, now.isAfter(last) ? Duration.between(last, now) : Duration.ZERO));
        }
        reissued.addAll(reactions.recovered(state));
        if (!wasDown) {
            timers.wallClock(state); // else once RunResumed is journaled: its wall clock has moved on by the downtime
        }
        self.tell(reissued.isEmpty() ? new Tick() : new Reissue(reissued));
    }
}
