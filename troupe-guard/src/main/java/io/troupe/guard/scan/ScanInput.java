package io.troupe.guard.scan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jspecify.annotations.Nullable;

/**
 * One line of scan input, read as plain text or as a JSONL object {@code {"id": …, "text": …}}.
 *
 * <p>In {@link Format#AUTO}, a line whose first non-blank character is <code>{</code> is JSON, any other line is
 * text. Blank lines are not inputs. A JSON line that does not parse, is not an object, or lacks a string
 * {@code text} is an error for that line alone.
 */
public sealed interface ScanInput {

    /** How lines are read. */
    enum Format {
        /** JSON when the line starts with <code>{</code>, text otherwise. */
        AUTO,
        /** Every line is text, even one that looks like JSON. */
        TEXT,
        /** Every line is a JSON object. */
        JSONL
    }

    /** The 1-based line number. */
    int line();

    /** A text to scan. */
    record Text(int line, @Nullable String id, String text) implements ScanInput {}

    /** A line that cannot be scanned, with the reason. */
    record Error(int line, String message) implements ScanInput {}

    /** A blank line, which is skipped. */
    record Blank(int line) implements ScanInput {}

    /** Reads {@code content}, the {@code line}-th line of the input. */
    static ScanInput read(int line, String content, Format format, ObjectMapper json) {
        String stripped = content.strip();
        if (stripped.isEmpty()) {
            return new Blank(line);
        }
        boolean asJson = format == Format.JSONL || (format == Format.AUTO && stripped.startsWith("{"));
        if (!asJson) {
            return new Text(line, null, content);
        }
        JsonNode node;
        try {
            node = json.readTree(stripped);
        } catch (JsonProcessingException e) {
            String detail = e.getOriginalMessage();
            int newline = detail.indexOf('\n');
            detail = newline > 0 ? detail.substring(0, newline) : detail;
            long column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
            return new Error(
                    line,
                    "invalid JSON" + (column > 0 ? " at column " + column : "") + ": " + detail
                            + "; expected {\"id\": \"…\", \"text\": \"…\"} or use --format text");
        }
        if (node == null || !node.isObject()) {
            return new Error(
                    line,
                    "expected a JSON object {\"id\": \"…\", \"text\": \"…\"}, found "
                            + (node == null
                                    ? "nothing"
                                    : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        JsonNode text = node.get("text");
        if (text == null || !text.isTextual()) {
            return new Error(
                    line, "the object has no string field \"text\"; expected {\"id\": \"…\", \"text\": \"…\"}");
        }
        JsonNode id = node.get("id");
        String idText = id == null || id.isNull() ? null : id.isValueNode() ? id.asText() : id.toString();
        return new Text(line, idText, text.asText());
    }
}
