package io.troupe.guard.audit;

import io.troupe.api.run.JournalEvent;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the audit log of one run up to date with its journal: it is fed the run's journal events in order, from the
 * first, and appends the audit events of those it has not recorded yet. A recorder opened on an existing log (after a
 * restart) continues it: it reads which journal events the log already covers and skips them, so that each is
 * recorded once. Thread-safe: feeding is serialised.
 */
public final class AuditRecorder {
    private final String runId;
    private final AuditLog log;
    private final AuditProjection projection;
    private long recordedUpTo;
    private long next;
    private boolean finished;

    private AuditRecorder(String runId, AuditLog log, AuditProjection projection, long recordedUpTo) {
        this.runId = runId;
        this.log = log;
        this.projection = projection;
        this.recordedUpTo = recordedUpTo;
    }

    /**
     * Opens the recorder of {@code runId} on {@code store}, continuing its chain.
     *
     * @param anchor the name of the interceptor that journals the log's head
     * @param scrub what free text goes through before it is kept
     * @throws IOException if the store cannot be read
     * @throws IllegalStateException if the existing chain is broken
     */
    public static AuditRecorder open(
            String runId,
            AuditStore store,
            byte @Nullable [] key,
            Clock clock,
            String anchor,
            UnaryOperator<String> scrub)
            throws IOException {
        AuditLog log = AuditLog.open(store, key, clock);
        long upTo = -1;
        AuditCodec codec = new AuditCodec(key);
        boolean finished = false;
        for (String line : store.lines()) {
            AuditEntry entry = codec.decode(line).entry();
            upTo = Math.max(upTo, entry.index());
            finished |= entry.event() instanceof AuditEvent.RunFinished;
        }
        AuditRecorder recorder = new AuditRecorder(runId, log, new AuditProjection(anchor, scrub), upTo);
        recorder.finished = finished;
        return recorder;
    }

    /**
     * Records the events of {@code batch}, the next events of the run's journal (the first is at position
     * {@link #nextIndex()}), in one append.
     */
    public synchronized void record(List<JournalEvent> batch) {
        List<AuditLog.Recorded> recorded = new ArrayList<>();
        for (JournalEvent event : batch) {
            long index = next++;
            List<AuditEvent> events = projection.apply(event);
            if (index <= recordedUpTo) {
                continue; // recorded before a restart
            }
            for (AuditEvent audit : events) {
                recorded.add(new AuditLog.Recorded(index, audit));
                finished |= audit instanceof AuditEvent.RunFinished;
            }
        }
        log.appendAll(runId, recorded);
        recordedUpTo = Math.max(recordedUpTo, next - 1);
    }

    /** The journal position of the next event to feed. */
    public synchronized long nextIndex() {
        return next;
    }

    /** Whether the log records the end of the run. */
    public synchronized boolean finished() {
        return finished;
    }

    /** The chain's head. */
    public ChainHead head() {
        return log.head();
    }
}
