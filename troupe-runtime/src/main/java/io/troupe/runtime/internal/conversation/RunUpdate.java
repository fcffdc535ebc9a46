package io.troupe.runtime.internal.conversation;

import io.troupe.api.run.RunEvent;
import java.time.Instant;
import java.util.List;

/**
 * Events of one conversation on their way to a node's {@link RunListeners}: a journaled batch, the history for a
 * new subscriber, or streamed tokens.
 *
 * @param conversationId the run
 * @param firstIndex the position in the journal of the first event, or -1 for token deltas, which are not
 *     journaled; listeners use it to drop what they already have when a restarted entity sends its history again
 * @param events in journal order
 * @param times when each journal event was journaled, one per event; empty for token deltas and child runs' events
 */
public record RunUpdate(String conversationId, long firstIndex, List<RunEvent> events, List<Instant> times)
        implements TroupeSerializable {
    public RunUpdate {
        events = List.copyOf(events);
        times = times == null ? List.of() : List.copyOf(times);
    }
}
