package io.troupe.guard.sink;

/**
 * One reason a value must not reach its sink.
 *
 * @param code a stable identifier, e.g. {@code sql.stacked-queries}, {@code path.traversal}
 * @param message what is wrong, in one sentence, without echoing secrets (it may quote the offending token)
 */
public record Violation(String code, String message) {
    public Violation {
        if (code == null || code.isBlank() || message == null || message.isBlank()) {
            throw new IllegalArgumentException("Violation code and message must not be blank");
        }
    }
}
