package io.troupe.api.tool;

import io.troupe.api.Checks;

/**
 * What a tool returned: content for the model, or an error the model can act on. A failed tool call is a value
 * in the journal, not an exception.
 *
 * @param content the result text (often JSON), or the error message
 * @param error whether the call failed
 */
public record ToolResult(String content, boolean error) {
    public ToolResult {
        Checks.notNull(content, "ToolResult content");
    }

    /** A successful result. */
    public static ToolResult ok(String content) {
        return new ToolResult(content, false);
    }

    /** A failure; {@code message} should tell the model what to do differently. */
    public static ToolResult error(String message) {
        return new ToolResult(message, true);
    }
}
