package io.troupe.runtime.internal.conversation;

import io.troupe.api.run.JournalEvent;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One atomic write to a conversation's journal: the events of one step (a model's answer, the tool calls it asks
 * for, the next agent's request), in order, and when they were written. Journaling a batch as one entry makes it
 * atomic and costs one journal write and one acknowledgement, however many events it holds. Readers see the flat
 * sequence of events.
 *
 * <p>The time is the runtime's clock when the entity journaled the batch (Pekko's typed persistence does not hand a
 * journal's own write time to readers, and the in-memory journal keeps none). It is null in batches journaled before
 * times were recorded; {@link #timeAfter} then gives a time that keeps a run's timeline in order.
 *
 * @param events the events, in order
 * @param at when the batch was journaled, or null in journals written before times were recorded
 */
public record JournalBatch(
        List<JournalEvent> events, @Nullable Instant at) implements TroupeSerializable {
    public JournalBatch {
        events = List.copyOf(events);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a journal batch needs at least one event");
        }
    }

    /** A batch without a time, as journals written before times were recorded hold. */
    public JournalBatch(List<JournalEvent> events) {
        this(events, null);
    }

    /**
     * When this batch was journaled, for a reader that has seen the batches before it: its own time if it has one;
     * otherwise the time its first event carries (a run's start or end, a deadline, an approval), never before
     * {@code previous}; otherwise {@code previous}; otherwise the epoch.
     *
     * @param previous the time of the batch before, or null for the first
     */
    public Instant timeAfter(@Nullable Instant previous) {
        if (at != null) {
            return at;
        }
        Instant carried = switch (events.getFirst()) {
            case JournalEvent.RunStarted started -> started.startedAt();
            case JournalEvent.RunFinished finished -> finished.finishedAt();
            case JournalEvent.DeadlinePassed passed -> passed.at();
            case JournalEvent.RunResumed resumed -> resumed.at();
            case JournalEvent.ApprovalDecided decided -> decided.at();
            default -> null;
        };
        if (carried != null && (previous == null || !carried.isBefore(previous))) {
            return carried;
        }
        return previous != null ? previous : Instant.EPOCH;
    }
}
