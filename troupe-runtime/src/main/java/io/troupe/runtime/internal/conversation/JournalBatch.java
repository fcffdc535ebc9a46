package io.troupe.runtime.internal.conversation;

import io.troupe.api.run.JournalEvent;
import java.util.List;

/**
 * One atomic write to a conversation's journal: the events of one step (a model's answer, the tool calls it asks
 * for, the next agent's request), in order. Journaling a batch as one entry makes it atomic and costs one journal
 * write and one acknowledgement, however many events it holds. Readers see the flat sequence of events.
 */
public record JournalBatch(List<JournalEvent> events) implements TroupeSerializable {
    public JournalBatch {
        events = List.copyOf(events);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a journal batch needs at least one event");
        }
    }
}
