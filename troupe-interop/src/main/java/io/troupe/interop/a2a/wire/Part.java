package io.troupe.interop.a2a.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A piece of a message or artifact: exactly one of {@code text}, {@code raw} (base64), {@code url} or {@code data}
 * (any JSON value), with optional metadata, file name and media type.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Part(
        @Nullable String text,
        @Nullable String raw,
        @Nullable String url,
        @Nullable JsonNode data,
        @Nullable ObjectNode metadata,
        @Nullable String filename,
        @Nullable String mediaType) {

    /** A text part. */
    public static Part text(String text) {
        return new Part(text, null, null, null, null, null, null);
    }

    /** A structured data part, as {@code application/json}. */
    public static Part data(JsonNode data) {
        return new Part(null, null, null, data, null, null, "application/json");
    }

    /**
     * The JSON value in {@code text} (a payload, a schema), for a data part: null when {@code text} is null, blank or
     * not JSON. Any value counts, scalars too, as a payload may be one; what follows the value is ignored.
     */
    public static @Nullable JsonNode json(ObjectMapper json, @Nullable String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(text);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The text of the text parts in {@code parts}, joined by blank lines. */
    public static String textOf(List<Part> parts) {
        StringBuilder text = new StringBuilder();
        for (Part part : parts) {
            if (part.text() != null) {
                if (!text.isEmpty()) {
                    text.append("\n\n");
                }
                text.append(part.text());
            }
        }
        return text.toString();
    }

    /** How many of the content fields are set; a valid part has exactly one. */
    public int contentCount() {
        return (text != null ? 1 : 0) + (raw != null ? 1 : 0) + (url != null ? 1 : 0) + (data != null ? 1 : 0);
    }
}
