package io.troupe.guard.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The append-only, hash-chained audit log. Each appended event becomes an {@link AuditEntry} whose hash covers
 * its content and the previous entry's hash; the store keeps the lines and the chain's head.
 *
 * <p>Plain SHA-256 chains detect accidental and naive tampering; a keyed log ({@link #open(AuditStore, byte[],
 * Clock)}) chains with HMAC-SHA256, so that someone who can edit the file but does not hold the key cannot forge a
 * consistent chain. Keep a copy of {@link #head()} outside the store (the engine journals it) to detect a
 * truncated and re-chained log. Thread-safe: appends are serialised.
 */
public final class AuditLog {
    private final AuditStore store;
    private final AuditCodec codec;
    private final Clock clock;
    private ChainHead head;

    private AuditLog(AuditStore store, AuditCodec codec, Clock clock, ChainHead head) {
        this.store = store;
        this.codec = codec;
        this.clock = clock;
        this.head = head;
    }

    /** Opens the log in {@code store}, continuing its chain, with SHA-256 hashes and the system clock. */
    public static AuditLog open(AuditStore store) throws IOException {
        return open(store, null, Clock.systemUTC());
    }

    /**
     * Opens the log in {@code store}, continuing its chain after verifying it.
     *
     * @param store where entries go
     * @param key the HMAC key, or null for plain SHA-256
     * @param clock the clock that stamps entries
     * @throws IOException if the store cannot be read
     * @throws IllegalStateException if the existing chain is broken: appending to it would hide the damage
     */
    public static AuditLog open(AuditStore store, byte @Nullable [] key, Clock clock) throws IOException {
        AuditCodec codec = new AuditCodec(key);
        ChainHead head = ChainHead.EMPTY;
        List<String> lines = store.lines();
        if (!lines.isEmpty()) {
            AuditVerifier.Result result = new AuditVerifier(key).verify(store);
            if (result instanceof AuditVerifier.Result.Broken broken) {
                throw new IllegalStateException("the audit log is broken, so nothing more is appended to it: "
                        + broken.message() + "; keep it as evidence and start a new log");
            }
            head = ((AuditVerifier.Result.Intact) result).head();
        }
        return new AuditLog(store, codec, clock, head);
    }

    /**
     * The entries in {@code store}, in order, as far as they can be read (a line that is not an entry of a chain
     * hashed with {@code key} ends the list; {@link AuditVerifier} says why).
     */
    public static List<AuditEntry> entries(AuditStore store, byte @Nullable [] key) throws IOException {
        AuditCodec codec = new AuditCodec(key);
        List<AuditEntry> entries = new java.util.ArrayList<>();
        for (String line : store.lines()) {
            try {
                entries.add(codec.decode(line).entry());
            } catch (IllegalArgumentException e) {
                break;
            }
        }
        return entries;
    }

    /** Appends {@code event} for {@code runId}, recording no journal event, and returns the new entry. */
    public AuditEntry append(String runId, AuditEvent event) {
        return appendAll(runId, List.of(new Recorded(-1, event))).getFirst();
    }

    /**
     * An event to append and the position in the run's journal of the event it records.
     *
     * @param index the journal position, from 0, or -1 for none
     * @param event what happened
     */
    public record Recorded(long index, AuditEvent event) {}

    /** Appends {@code events} for {@code runId} in one write (one sync to disk) and returns their entries. */
    public synchronized List<AuditEntry> appendAll(String runId, List<Recorded> events) {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("an audit entry needs a run id");
        }
        List<AuditEntry> entries = new java.util.ArrayList<>(events.size());
        List<String> lines = new java.util.ArrayList<>(events.size());
        ChainHead next = head;
        for (Recorded recorded : events) {
            AuditEntry entry =
                    codec.seal(next.seq() + 1, clock.instant(), runId, recorded.index(), recorded.event(), next.hash());
            entries.add(entry);
            lines.add(codec.encode(entry));
            next = new ChainHead(entry.seq(), entry.hash());
        }
        if (lines.isEmpty()) {
            return entries;
        }
        try {
            store.appendAll(lines, next);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the audit log: " + e.getMessage(), e);
        }
        head = next;
        return entries;
    }

    /** The chain's head: the number of entries and the last hash. */
    public synchronized ChainHead head() {
        return head;
    }
}
