package io.troupe.api.intercept;

import io.troupe.api.Checks;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link Interceptor} decided. A value, journaled before it takes effect. Switch over it exhaustively.
 *
 * <p>What a block does depends on the point: a blocked task, incoming request, model call or model answer ends the
 * agent's turn with FAILURE (the reason is its body); a blocked tool call or tool result gives the model an error
 * result, so that it can do something else; a blocked notice is not perceived; a blocked outgoing answer is
 * replaced by a FAILURE. With {@code endRun}, the whole run ends as failed instead.
 */
public sealed interface Verdict {

    /** Let it happen unchanged. */
    static Verdict proceed() {
        return Proceed.SILENT;
    }

    /** Let it happen unchanged, journaling a note (for audit and tracing). */
    static Verdict proceed(String note) {
        return new Proceed(Checks.notBlank(note, "Proceed note"));
    }

    /** Let it happen with {@code replacement} instead, which must be the same kind of subject. */
    static Verdict replace(Interception.Subject replacement, String reason) {
        return new Replace(replacement, reason);
    }

    /** Stop it; what that means depends on the point (see {@link Verdict}). */
    static Verdict block(String reason) {
        return new Block(reason, false);
    }

    /** Stop it and end the whole run as failed. */
    static Verdict blockRun(String reason) {
        return new Block(reason, true);
    }

    /** Hold it until a person approves or denies it; a denial blocks it. */
    static Verdict askHuman(String reason) {
        return new AwaitHuman(reason, false);
    }

    /** A one-line description for people and logs. */
    String describe();

    /**
     * Let it happen unchanged.
     *
     * @param note a remark for the journal, or null
     */
    record Proceed(@Nullable String note) implements Verdict {
        static final Proceed SILENT = new Proceed(null);

        @Override
        public String describe() {
            return note == null ? "proceed" : "proceed: " + note;
        }
    }

    /** Let it happen with {@code replacement} (a redacted text, a changed argument). */
    record Replace(Interception.Subject replacement, String reason) implements Verdict {
        public Replace {
            Checks.notNull(replacement, "Replace replacement");
            Checks.notBlank(reason, "Replace reason");
        }

        @Override
        public String describe() {
            return "replaced: " + reason;
        }
    }

    /** Stop it, for {@code reason}; with {@code endRun}, end the run as failed. */
    record Block(String reason, boolean endRun) implements Verdict {
        public Block {
            Checks.notBlank(reason, "Block reason");
        }

        @Override
        public String describe() {
            return (endRun ? "blocked (run ended): " : "blocked: ") + reason;
        }
    }

    /**
     * Hold it until a person decides; the run waits durably, and {@code Troupe.approvals()} lists it. An approval
     * lets it happen, a denial blocks it, ending the run if {@code endRunOnDeny}.
     */
    record AwaitHuman(String reason, boolean endRunOnDeny) implements Verdict {
        public AwaitHuman {
            Checks.notBlank(reason, "AwaitHuman reason");
        }

        @Override
        public String describe() {
            return "waiting for a human: " + reason;
        }
    }
}
