package io.troupe.guard.pii;

/**
 * One piece of personal data found in a text.
 *
 * @param type what it is
 * @param start the index of its first char in the text (UTF-16 units, as {@link String#substring})
 * @param end the index after its last char
 * @param text the value as it appears in the text
 * @param confidence how sure the recogniser is, from 0 to 1
 */
public record PiiEntity(PiiType type, int start, int end, String text, double confidence) {
    public PiiEntity {
        if (type == null || text == null) {
            throw new IllegalArgumentException("PiiEntity type and text must not be null");
        }
        if (start < 0 || end <= start || end - start != text.length()) {
            throw new IllegalArgumentException(
                    "PiiEntity offsets " + start + ".." + end + " do not fit a text of length " + text.length());
        }
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("PiiEntity confidence must be within [0, 1], was " + confidence);
        }
    }

    /** Whether this entity shares at least one char with {@code other}. */
    public boolean overlaps(PiiEntity other) {
        return start < other.end && other.start < end;
    }

    /** A description without the value, safe for logs, findings and the audit log: {@code EMAIL at 4..19}. */
    public String describe() {
        return type + " at " + start + ".." + end;
    }
}
