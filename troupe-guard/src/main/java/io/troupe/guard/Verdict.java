package io.troupe.guard;

import java.util.List;

/**
 * What a guardrail decides about a text: let it pass, replace it with a redacted text, block it, or ask a human.
 *
 * <p>A verdict is a value: the engine journals it before it takes effect, so a replay shows it without running
 * the guardrail again. Its reason and findings never carry the raw values a guardrail removed.
 */
public sealed interface Verdict {

    /** Why the verdict was reached; empty for a plain pass. */
    List<Finding> findings();

    /** The kind of verdict, in lower case, for logs and JSON: {@code pass}, {@code redact}, {@code block}, {@code ask}. */
    default String kind() {
        return switch (this) {
            case Pass p -> "pass";
            case Redact r -> "redact";
            case Block b -> "block";
            case AskHuman a -> "ask";
        };
    }

    /** The text may go on unchanged; findings below the guardrail's threshold may still be listed. */
    record Pass(List<Finding> findings) implements Verdict {
        public Pass {
            findings = List.copyOf(findings);
        }
    }

    /**
     * The text may go on as {@code text}, which replaces the original (for example with PII placeholders).
     *
     * @param text the replacement text
     * @param reason a one-line explanation without raw values
     * @param findings what was replaced
     */
    record Redact(String text, String reason, List<Finding> findings) implements Verdict {
        public Redact {
            if (text == null || reason == null) {
                throw new IllegalArgumentException("Redact text and reason must not be null");
            }
            findings = List.copyOf(findings);
        }
    }

    /**
     * The text must not go on.
     *
     * @param reason a one-line explanation without raw values, fit to show the model or a user
     * @param findings what was found
     */
    record Block(String reason, List<Finding> findings) implements Verdict {
        public Block {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("Block reason must not be blank");
            }
            findings = List.copyOf(findings);
        }
    }

    /**
     * A human must approve {@code text} before it goes on; the engine waits durably for the decision.
     *
     * @param text the text to approve, after the redactions of guardrails that ran before this one
     * @param reason the question put to the human, without raw values
     * @param findings what was found
     */
    record AskHuman(String text, String reason, List<Finding> findings) implements Verdict {
        public AskHuman {
            if (text == null || reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("AskHuman text must not be null and its reason not blank");
            }
            findings = List.copyOf(findings);
        }
    }

    /** A pass without findings. */
    static Verdict pass() {
        return new Pass(List.of());
    }
}
