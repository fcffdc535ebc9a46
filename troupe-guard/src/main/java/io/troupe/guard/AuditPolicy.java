package io.troupe.guard;

import io.troupe.api.Checks;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where the tamper-evident audit log goes: one hash-chained JSONL file per run in {@code directory}
 * ({@code RUN_ID.audit.jsonl} with its head in {@code RUN_ID.audit.jsonl.head}), chained with HMAC-SHA256 when a
 * key is given, so that nobody without the key can forge a consistent log.
 *
 * @param directory where the logs go; created owner-only
 * @param key the HMAC key, or null for plain SHA-256
 */
public record AuditPolicy(Path directory, byte @Nullable [] key) {
    public AuditPolicy {
        Checks.notNull(directory, "AuditPolicy directory");
        key = key == null ? null : key.clone();
        if (key != null && key.length < 16) {
            throw new IllegalArgumentException("an audit key must have at least 16 bytes, got " + key.length);
        }
    }

    /** Plain SHA-256 logs in {@code directory}. */
    public static AuditPolicy to(Path directory) {
        return new AuditPolicy(directory, null);
    }

    /** HMAC-SHA256 logs in {@code directory}. */
    public static AuditPolicy keyed(Path directory, byte[] key) {
        return new AuditPolicy(directory, key);
    }

    @Override
    public byte @Nullable [] key() {
        return key == null ? null : key.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AuditPolicy that
                && directory.equals(that.directory)
                && java.util.Arrays.equals(key, that.key);
    }

    @Override
    public int hashCode() {
        return directory.hashCode() * 31 + java.util.Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "AuditPolicy[directory=" + directory + ", keyed=" + (key != null) + "]"; // never the key
    }
}
