package io.troupe.server;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.troupe.interop.internal.RequestBody;
import java.io.IOException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * JSON for the API: request bodies read strictly (size-limited, duplicate keys and trailing text refused, nesting
 * bounded) and answers written with one mapper. Thread-safe.
 */
final class Json {
    private Json() {}

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(32).build());
    }

    /** A new empty object. */
    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * The request's body as a JSON object; an empty body is an empty object when {@code emptyIsObject}.
     *
     * @throws ApiException 415 for another content type, 413 past {@code maxBytes}, 400 for bad JSON
     */
    static ObjectNode body(Context ctx, long maxBytes, boolean emptyIsObject) {
        byte[] bytes = bytes(ctx, maxBytes);
        if (bytes.length == 0 && emptyIsObject) {
            return object();
        }
        String type = ctx.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(
                    415,
                    "unsupported_media_type",
                    "The body must be JSON: send it with 'Content-Type: application/json'"
                            + (type == null ? "" : " (got '" + type + "')"));
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (JsonParseException e) {
            throw ApiException.badRequest(
                    "invalid_json",
                    "The body is not valid JSON: " + e.getOriginalMessage() + " at line "
                            + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("invalid_json", "The body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("invalid_json", "The body could not be read: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            if (emptyIsObject) {
                return object();
            }
            throw ApiException.badRequest("invalid_json", "The body is empty; send a JSON object");
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.badRequest(
                    "invalid_json", "The body must be a JSON object ({...}), not " + describe(node));
        }
        return object;
    }

    /**
     * The request's body, refusing more than {@code maxBytes} without keeping them; an oversized body is read and
     * dropped (up to 16 MB) before the 413, unless the client waits for 100 Continue (see {@link RequestBody}).
     */
    static byte[] bytes(Context ctx, long maxBytes) {
        try {
            return RequestBody.read(ctx, maxBytes);
        } catch (RequestBody.TooLargeException e) {
            throw tooLarge(maxBytes);
        } catch (IOException e) {
            throw ApiException.badRequest("bad_request", "The body could not be read: " + e.getMessage());
        }
    }

    private static ApiException tooLarge(long maxBytes) {
        return new ApiException(
                413,
                "body_too_large",
                "The body is larger than " + maxBytes + " bytes, the server's limit (troupe serve --max-body)");
    }

    /** A text field of {@code body}, or null when absent; another JSON type is an error naming the field. */
    /**
     * Refuses a field of {@code body} not in {@code fields}, saying what the request takes ({@code takes}): a
     * misspelt field must not be dropped silently, least of all on an action that cannot be undone.
     */
    static void onlyFields(ObjectNode body, java.util.Set<String> fields, String takes) {
        for (java.util.Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw ApiException.badRequest("unknown_field", "Unknown field '" + name + "'; " + takes);
            }
        }
    }

    static @Nullable String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("invalid_field", "'" + field + "' must be a string, not " + describe(value));
        }
        return value.asText();
    }

    static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "a number";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    /** {@code value} as JSON text. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
