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
import java.io.IOException;
import java.io.InputStream;
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
     * The most of an oversized body that is read and dropped before it is refused: a client still sending it would
     * otherwise find the connection closed under it and never read the 413.
     */
    private static final long DRAIN_AT_MOST = 16L << 20;

    /** The request's body, refusing more than {@code maxBytes} without keeping them. */
    static byte[] bytes(Context ctx, long maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        boolean waitsToSend = "100-continue".equalsIgnoreCase(ctx.header("Expect"));
        if (declared > maxBytes) {
            // A client that waits for 100 Continue reads the refusal before it sends anything.
            if (!waitsToSend && declared <= DRAIN_AT_MOST) {
                drain(ctx);
            }
            throw tooLarge(maxBytes);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                drainFrom(in, DRAIN_AT_MOST - bytes.length);
                throw tooLarge(maxBytes);
            }
            return bytes;
        } catch (IOException e) {
            throw ApiException.badRequest("bad_request", "The body could not be read: " + e.getMessage());
        }
    }

    private static void drain(Context ctx) {
        try (InputStream in = ctx.req().getInputStream()) {
            drainFrom(in, DRAIN_AT_MOST);
        } catch (IOException e) {
            // the refusal goes out all the same
        }
    }

    private static void drainFrom(InputStream in, long atMost) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        for (long left = atMost; left > 0; ) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                return;
            }
            left -= read;
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
