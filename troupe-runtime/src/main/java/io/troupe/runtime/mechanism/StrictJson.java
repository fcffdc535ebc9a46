package io.troupe.runtime.mechanism;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads one JSON object strictly: no trailing text, no unknown fields, each field of the expected type. Collects every
 * problem, so that a decision record names all of them at once. Not thread-safe; make one per answer.
 */
final class StrictJson {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final @Nullable ObjectNode object;
    private final List<String> problems = new ArrayList<>();

    private StrictJson(@Nullable String json, Set<String> allowed) {
        ObjectNode read = null;
        if (json == null || json.isBlank()) {
            problems.add("no JSON answer");
        } else {
            try {
                JsonNode node = JSON.readTree(json.strip());
                if (node instanceof ObjectNode o) {
                    read = o;
                } else {
                    problems.add("the answer is not a JSON object");
                }
            } catch (JsonProcessingException e) {
                problems.add("the answer is not valid JSON (" + e.getOriginalMessage() + ")");
            }
        }
        object = read;
        if (object != null) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!allowed.contains(name)) {
                    problems.add("unknown field '" + name + "'");
                }
            }
        }
    }

    /** Starts reading {@code json}, which may name only the {@code allowed} fields. */
    static StrictJson read(@Nullable String json, Set<String> allowed) {
        return new StrictJson(json, allowed);
    }

    /** A required number field, at least {@code min} and at most {@code max} (null for no bound). */
    @Nullable
    BigDecimal number(String field, BigDecimal min, @Nullable BigDecimal max) {
        JsonNode node = required(field);
        if (node == null) {
            return null;
        }
        if (!node.isNumber()) {
            problems.add("'" + field + "' must be a number, got " + node);
            return null;
        }
        BigDecimal value = node.decimalValue();
        if (value.compareTo(min) < 0 || (max != null && value.compareTo(max) > 0)) {
            problems.add("'" + field + "' must be "
                    + (max == null
                            ? "at least " + min.toPlainString()
                            : "between " + min.toPlainString() + " and " + max.toPlainString())
                    + ", got " + value.toPlainString());
            return null;
        }
        return value;
    }

    /** A required string field. */
    @Nullable
    String text(String field) {
        JsonNode node = required(field);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            problems.add("'" + field + "' must be a string, got " + node);
            return null;
        }
        return node.textValue();
    }

    /** An optional boolean field; false when absent. */
    boolean flag(String field) {
        if (object == null || !object.has(field)) {
            return false;
        }
        JsonNode node = object.get(field);
        if (!node.isBoolean()) {
            problems.add("'" + field + "' must be true or false, got " + node);
            return false;
        }
        return node.booleanValue();
    }

    /** A required array of strings, with {@code min} to {@code max} non-blank items. */
    @Nullable
    List<String> texts(String field, int min, int max) {
        JsonNode node = required(field);
        if (node == null) {
            return null;
        }
        if (!node.isArray()) {
            problems.add("'" + field + "' must be an array of strings, got " + node);
            return null;
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || item.textValue().isBlank()) {
                problems.add("'" + field + "' must hold only non-blank strings, got " + item);
                return null;
            }
            items.add(item.textValue());
        }
        if (items.size() < min || items.size() > max) {
            problems.add("'" + field + "' must hold " + min + " to " + max + " items, got " + items.size());
            return null;
        }
        return List.copyOf(items);
    }

    /** Every problem found so far, joined for a reason text; null when there is none. */
    @Nullable
    String problem() {
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private @Nullable JsonNode required(String field) {
        if (object == null) {
            return null;
        }
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            problems.add("'" + field + "' is missing");
            return null;
        }
        return node;
    }
}
