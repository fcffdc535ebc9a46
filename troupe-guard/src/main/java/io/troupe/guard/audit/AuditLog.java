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

    /** Appends {@code event} for {@code runId} and returns the new entry. */
    public synchronized AuditEntry append(String runId, AuditEvent event) {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("an audit entry needs a run id");
        }
        AuditEntry entry = codec.seal(head.seq() + 1, clock.instant(), runId, event, head.hash());
        ChainHead next = new ChainHead(entry.seq(), entry.hash());
        try {
            store.append(codec.encode(entry), next);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the audit log: " + e.getMessage(), e);
        }
        head = next;
        return entry;
    }

    /** The chain's head: the number of entries and the last hash. */
    public synchronized ChainHead head() {
        return head;
    }
}
