package io.troupe.guard.audit;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Verifies an audit log: every line is an entry, entries are numbered 1, 2, 3… without gaps, each one's hash
 * matches its content, each one names the previous entry's hash, and the last entry matches the recorded head (or
 * a head kept elsewhere). Reports the first bad entry: an edit, a deletion, an insertion, a reordering or a
 * truncation.
 */
public final class AuditVerifier {
    private final AuditCodec codec;

    /** A verifier for logs chained with {@code key} (null for plain SHA-256). */
    public AuditVerifier(byte @Nullable [] key) {
        this.codec = new AuditCodec(key);
    }

    /** The outcome of a verification. */
    public sealed interface Result {
        /**
         * The chain is whole.
         *
         * @param entries how many entries it has
         * @param head its head
         */
        record Intact(long entries, ChainHead head) implements Result {}

        /**
         * The chain is broken.
         *
         * @param seq the position of the first bad entry (the expected position where an entry is missing)
         * @param line the 1-based line where the problem shows, or 0 when it is about the end of the log
         * @param kind {@code malformed}, {@code edited}, {@code missing-or-reordered}, {@code truncated} or
         *     {@code head-mismatch}
         * @param message what is wrong, in one sentence
         */
        record Broken(long seq, int line, String kind, String message) implements Result {}
    }

    /** Verifies {@code store} against the head it recorded itself. */
    public Result verify(AuditStore store) throws IOException {
        return verify(store.lines(), store.head());
    }

    /** Verifies {@code store} against {@code expected}, a head kept outside the store. */
    public Result verify(AuditStore store, ChainHead expected) throws IOException {
        return verify(store.lines(), Optional.of(expected));
    }

    private Result verify(List<String> lines, Optional<ChainHead> head) {
        String previous = ChainHead.GENESIS;
        long expectedSeq = 1;
        for (int i = 0; i < lines.size(); i++) {
            int line = i + 1;
            AuditCodec.Decoded decoded;
            try {
                decoded = codec.decode(lines.get(i));
            } catch (IllegalArgumentException e) {
                return new Result.Broken(
                        expectedSeq,
                        line,
                        "malformed",
                        "line " + line + " is not an audit entry (" + e.getMessage() + ")");
            }
            AuditEntry entry = decoded.entry();
            if (entry.seq() != expectedSeq) {
                return new Result.Broken(
                        expectedSeq,
                        line,
                        "missing-or-reordered",
                        "line " + line + " holds entry " + entry.seq() + " where entry " + expectedSeq
                                + " belongs: entries were deleted, inserted or reordered");
            }
            if (!decoded.hashMatches()) {
                return new Result.Broken(
                        entry.seq(),
                        line,
                        "edited",
                        "entry " + entry.seq() + " (line " + line
                                + ") was edited: its hash does not match its content");
            }
            if (!entry.previousHash().equals(previous)) {
                return new Result.Broken(
                        entry.seq(),
                        line,
                        "missing-or-reordered",
                        "entry " + entry.seq() + " (line "
                                + line + ") does not follow entry " + (entry.seq() - 1)
                                + ": the chain was re-linked after a deletion, insertion or reordering");
            }
            previous = entry.hash();
            expectedSeq++;
        }
        long last = expectedSeq - 1;
        if (head.isEmpty()) {
            if (last > 0) {
                return new Result.Broken(
                        last + 1,
                        0,
                        "truncated",
                        "the log has " + last + " entries but no head record, so truncation cannot be ruled out");
            }
            return new Result.Intact(0, ChainHead.EMPTY);
        }
        ChainHead recorded = head.get();
        if (recorded.seq() > last) {
            return new Result.Broken(
                    last + 1,
                    0,
                    "truncated",
                    "the log ends at entry " + last + " but its head records " + recorded.seq() + " entries: entries "
                            + (last + 1) + " to " + recorded.seq() + " were removed");
        }
        if (recorded.seq() < last || !recorded.hash().equals(previous)) {
            return new Result.Broken(
                    Math.min(recorded.seq() + 1, last),
                    0,
                    "head-mismatch",
                    "the log's last entry " + last + " does not match its head record (entry " + recorded.seq()
                            + "): the log was rewritten");
        }
        return new Result.Intact(last, new ChainHead(last, previous));
    }
}
