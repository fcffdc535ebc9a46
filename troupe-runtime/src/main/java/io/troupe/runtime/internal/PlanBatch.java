package io.troupe.runtime.internal;

import io.troupe.api.event.JournalEvent;
import io.troupe.api.event.JournalEvent.RunFinished;
import io.troupe.api.run.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The events one planning pass has produced so far; each is applied to the state as it is added. */
final class PlanBatch {
    final ConversationState state;
    final Instant now;
    final List<JournalEvent> events = new ArrayList<>();
    /** Notices the mechanism has sent in this pass, to catch one that never moves on. */
    int notices;

    PlanBatch(ConversationState state, Instant now) {
        this.state = state;
        this.now = now;
    }

    void emit(JournalEvent event) {
        state.apply(event);
        events.add(event);
    }

    void finish(Outcome outcome) {
        emit(new RunFinished(outcome, state.usage, state.turns, now));
    }
}
