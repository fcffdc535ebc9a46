package io.troupe.guard.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An audit store in memory, for tests and short-lived tools. Thread-safe. */
public final class InMemoryAuditStore implements AuditStore {
    private final List<String> lines = new ArrayList<>();
    private ChainHead head;

    @Override
    public synchronized void appendAll(List<String> more, ChainHead head) {
        lines.addAll(more);
        this.head = head;
    }

    @Override
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public synchronized Optional<ChainHead> head() {
        return Optional.ofNullable(head);
    }
}
