package io.troupe.guard.pii;

import java.util.List;

/**
 * A text with its personal data replaced by placeholders.
 *
 * @param text the redacted text
 * @param replacements what was replaced, in order of position in the original text; safe to journal
 */
public record Redaction(String text, List<Replacement> replacements) {
    public Redaction {
        if (text == null) {
            throw new IllegalArgumentException("Redaction text must not be null");
        }
        replacements = List.copyOf(replacements);
    }

    /** Whether anything was replaced. */
    public boolean changed() {
        return !replacements.isEmpty();
    }

    /**
     * One replaced value, without the value itself.
     *
     * @param type the kind of value
     * @param start where it started in the original text
     * @param end where it ended in the original text
     * @param placeholder what replaced it, e.g. {@code <EMAIL_1>}
     * @param confidence how sure the detector was
     */
    public record Replacement(PiiType type, int start, int end, String placeholder, double confidence) {}
}
