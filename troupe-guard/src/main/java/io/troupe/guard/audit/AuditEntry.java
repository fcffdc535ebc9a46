package io.troupe.guard.audit;

import java.time.Instant;

/**
 * One link of the chain: an event with its position, time and run, the hash of the entry before it, and its own
 * hash over all of that.
 *
 * @param seq the position, from 1
 * @param time when it was appended
 * @param runId the run it belongs to
 * @param event what happened
 * @param previousHash the hash of entry {@code seq - 1}, or {@link ChainHead#GENESIS} for the first
 * @param hash this entry's hash
 */
public record AuditEntry(long seq, Instant time, String runId, AuditEvent event, String previousHash, String hash) {}
