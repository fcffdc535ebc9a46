/**
 * The tamper-evident audit log: an append-only, hash-chained (SHA-256, or HMAC-SHA256 with a key) record of
 * security-relevant {@link io.troupe.guard.audit.AuditEvent}s, stored through a small
 * {@link io.troupe.guard.audit.AuditStore} (a JSONL file, or memory), and verified by
 * {@link io.troupe.guard.audit.AuditVerifier}, which names the first bad entry.
 */
@NullMarked
package io.troupe.guard.audit;

import org.jspecify.annotations.NullMarked;
