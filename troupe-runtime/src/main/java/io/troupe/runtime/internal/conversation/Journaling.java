package io.troupe.runtime.internal.conversation;

import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.RunStarted;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.internal.plan.Planner;
import io.troupe.runtime.internal.plan.Planning;
import io.troupe.runtime.internal.state.ConversationState;
import io.troupe.runtime.internal.state.Draft;
import java.time.Clock;
import java.util.List;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.jspecify.annotations.Nullable;

/**
 * How a conversation journals what it decides: the planner plans on a {@link Draft} of the state, the draft's events
 * are journaled as one {@link JournalBatch}, the event handler adopts the draft's state instead of applying them
 * again, and {@link Reactions} then starts what the batch requests. On recovery, which has no draft, the event handler
 * applies each batch to the state. Either way the batch joins the run's history in {@link Followers}. The entity
 * decides when to journal; this is how. Used only from the entity's thread.
 */
final class Journaling {
    private final EffectFactories<JournalBatch, ConversationState> effects;
    private final Planning planning;
    private final Preparation preparation;
    private final SeamGate seam;
    private final Followers followers;
    private final Reactions reactions;
    private final Clock clock;

    /** The planner of the run's mechanism, made for the first plan. */
    private @Nullable Planner planner;
    /** The batch being journaled and the state it leads to, which the event handler adopts. */
    private @Nullable Adoption adoption;
    /** The last mechanism epoch the planner consulted: the mechanism is asked again only for a newer one. */
    private int consultedEpoch = -1;

    private record Adoption(JournalBatch batch, ConversationState next) {}

    Journaling(
            EffectFactories<JournalBatch, ConversationState> effects,
            Planning planning,
            Preparation preparation,
            SeamGate seam,
            Followers followers,
            Reactions reactions,
            Clock clock) {
        this.effects = effects;
        this.planning = planning;
        this.preparation = preparation;
        this.seam = seam;
        this.followers = followers;
        this.reactions = reactions;
        this.clock = clock;
    }

    /**
     * The event handler: the state after {@code batch}. A batch this entity just journaled leads to its draft's state,
     * which already holds its events; any other (recovery) is applied to {@code state}.
     */
    ConversationState applied(ConversationState state, JournalBatch batch) {
        ConversationState next;
        if (adoption != null && adoption.batch() == batch) {
            next = adoption.next(); // the planner's draft already holds these events
        } else {
            state.apply(batch.events()); // recovery
            next = state;
        }
        adoption = null;
        followers.record(batch);
        return next;
    }

    /** Like {@link #persistPlanned(ConversationState, List)}, but does nothing when there is nothing new. */
    Effect<JournalBatch, ConversationState> persistPlannedIfAny(ConversationState state, List<JournalEvent> first) {
        return first.isEmpty() ? effects.none() : persistPlanned(state, first);
    }

    /** Journals {@code first} with everything the planner decides from it, then starts what it requested. */
    Effect<JournalBatch, ConversationState> persistPlanned(ConversationState state, List<JournalEvent> first) {
        return persistPlanned(state, first, () -> {});
    }

    /** Like {@link #persistPlanned(ConversationState, List)}, running {@code afterWrite} once the batch is written. */
    Effect<JournalBatch, ConversationState> persistPlanned(
            ConversationState state, List<JournalEvent> first, Runnable afterWrite) {
        if (first.isEmpty() && (!state.isStarted() || state.isFinished())) {
            return effects.none();
        }
        if (state.isStarted() && !preparation.runnable(state)) {
            return effects.none(); // this node lacks what the run needs: leave it untouched
        }
        Planner.Plan plan = planner(state, first).plan(state, first, clock.instant(), consultedEpoch);
        consultedEpoch = plan.consultedEpoch();
        return persist(state, plan.draft(), afterWrite);
    }

    /** Journals a draft's events as one batch, adopts its state, and starts what it requested. */
    Effect<JournalBatch, ConversationState> persist(ConversationState state, Draft draft, Runnable afterWrite) {
        if (draft.isEmpty()) {
            seam.startChains(state, draft);
            afterWrite.run();
            return effects.none();
        }
        JournalBatch batch = new JournalBatch(draft.events(), clock.instant());
        adoption = new Adoption(batch, draft.state());
        long firstIndex = followers.size();
        return effects.persist(batch).thenRun(after -> {
            reactions.journaled(after, firstIndex, batch.events(), draft);
            afterWrite.run();
        });
    }

    private Planner planner(ConversationState state, List<JournalEvent> first) {
        if (planner == null) {
            TeamSpec team = state.isStarted()
                    ? state.team()
                    : first.stream()
                            .filter(RunStarted.class::isInstance)
                            .map(e -> ((RunStarted) e).team())
                            .findFirst()
                            .orElseThrow(() -> new IllegalStateException("planning a run that has not started"));
            planner = planning.planner(team.mechanism());
        }
        return planner;
    }
}
