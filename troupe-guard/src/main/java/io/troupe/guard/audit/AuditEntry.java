package io.troupe.guard.audit;

import java.time.Instant;

/**
 * One link of the chain: an event with its position, time, run and place in the run's journal, the hash of the
 * entry before it, and its own hash over all of that.
 *
 * @param seq the position, from 1
 * @param time when it was appended
 * @param runId the run it belongs to
 * @param index the position in the run's journal of the event it records (from 0), or -1 for none
 * @param event what happened
 * @param previousHash the hash of entry {@code seq - 1}, or {@link ChainHead#GENESIS} for the first
 * @param hash this entry's hash: SHA-256, or HMAC-SHA256 for a keyed log, in hex
 */
public record AuditEntry(
        long seq, Instant time, String runId, long index, AuditEvent event, String previousHash, String hash) {}
