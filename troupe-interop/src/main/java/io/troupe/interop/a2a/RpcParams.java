package io.troupe.interop.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The {@code params} of an A2A JSON-RPC request, read into the wire types. Reading is strict: a value of the wrong
 * JSON type is refused with Invalid params ({@code -32602}) naming its path, such as {@code message.parts[0].text},
 * where Jackson would by default coerce it ({@code 5} read as {@code "5"}, {@code "3"} as 3, {@code 1} as {@code
 * true} or as an enum's second constant) and the agent would act on something the client never sent. Only the
 * server's requests are read so; the client stays lenient with what remote agents answer. Thread-safe.
 */
final class RpcParams {
    private static final ObjectMapper STRICT = strict(A2a.mapper());

    private RpcParams() {}

    /** {@code mapper}, refusing scalars of one JSON type where another is expected. */
    static ObjectMapper strict(ObjectMapper mapper) {
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Enum).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return mapper.configure(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS, true);
    }

    /**
     * {@code params} as a {@code type}.
     *
     * @throws A2aError Invalid params, naming the field at fault and what it must be
     */
    static <T> T read(ObjectNode params, Class<T> type) {
        try {
            return STRICT.treeToValue(params, type);
        } catch (JsonMappingException e) {
            StringBuilder path = new StringBuilder();
            JsonNode value = params;
            for (JsonMappingException.Reference reference : e.getPath()) {
                if (reference.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
                    value = value.path(reference.getFieldName());
                } else {
                    path.append('[').append(reference.getIndex()).append(']');
                    value = value.path(reference.getIndex());
                }
            }
            String field = path.isEmpty() ? "params" : path.toString();
            throw A2aError.invalidParam(field, expected(e) + ", got " + describe(value));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String problem =
                    e instanceof JsonProcessingException processing ? processing.getOriginalMessage() : e.getMessage();
            throw A2aError.invalidParam("params", "cannot be read as " + type.getSimpleName() + ": " + problem);
        }
    }

    /** What a value must be, for the type Jackson could not read it as. */
    private static String expected(JsonMappingException e) {
        if (e.getCause() instanceof InputCoercionException range) {
            Class<?> target = range.getTargetType();
            return target == Integer.TYPE || target == Integer.class
                    ? "must be an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                    : "is out of range (" + range.getOriginalMessage() + ")";
        }
        Class<?> target = e instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        if (target == null) {
            return "cannot be read: " + e.getOriginalMessage();
        }
        if (target == String.class) {
            return "must be a string";
        }
        if (target == Integer.class || target == Long.class || target == Integer.TYPE || target == Long.TYPE) {
            return "must be an integer";
        }
        if (target == Boolean.class || target == Boolean.TYPE) {
            return "must be true or false";
        }
        if (target.isEnum()) {
            return "must be one of "
                    + Arrays.stream(target.getEnumConstants())
                            .map(constant -> ((Enum<?>) constant).name())
                            .collect(Collectors.joining(", "));
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "must be an array";
        }
        if (target.isRecord() || ObjectNode.class.isAssignableFrom(target) || Map.class.isAssignableFrom(target)) {
            return "must be an object";
        }
        return "cannot be read as " + target.getSimpleName() + ": " + e.getOriginalMessage();
    }

    /** A value as a message shows it: a scalar as JSON (cut short), a container by its kind. */
    private static String describe(JsonNode value) {
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        String text = value.toString();
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }

    /** The task id in {@code params.id}: a string, required. */
    static String requiredId(ObjectNode params) {
        JsonNode id = params.get("id");
        if (id == null || id.isNull()) {
            throw A2aError.invalidParam("id", "is required: the task's id");
        }
        if (!id.isTextual() || id.asText().isBlank()) {
            throw A2aError.invalidParam("id", "must be the task's id, a string; got " + id);
        }
        return id.asText();
    }

    /** An optional integer in {@code params}, or null when absent. */
    static @Nullable Integer optionalInt(ObjectNode params, String name) {
        JsonNode value = params.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw A2aError.invalidParam(name, "must be an integer");
        }
        return value.asInt();
    }
}
