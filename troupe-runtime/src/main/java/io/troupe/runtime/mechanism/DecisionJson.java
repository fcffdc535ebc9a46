package io.troupe.runtime.mechanism;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON for mechanisms' schemas, decision inputs and result payloads: building small documents and reading the
 * string fields of an agent's structured answer. The shared mapper is thread-safe and never reconfigured.
 */
final class DecisionJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private DecisionJson() {}

    /** A new empty object node. */
    static ObjectNode node() {
        return MAPPER.createObjectNode();
    }

    /** {@code values} as a JSON array of strings. */
    static String array(Iterable<String> values) {
        ArrayNode array = MAPPER.createArrayNode();
        values.forEach(array::add);
        return array.toString();
    }

    /** A flat JSON object of string fields, in the map's order. */
    static String object(Map<String, String> fields) {
        ObjectNode node = node();
        fields.forEach(node::put);
        return node.toString();
    }

    /**
     * The top-level fields of a JSON object as text (numbers and booleans as their JSON text), in document order;
     * empty when {@code json} is not an object.
     */
    static Map<String, String> fields(String json) {
        Map<String, String> fields = new LinkedHashMap<>();
        JsonNode node = parse(json);
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
        }
        return fields;
    }

    /** The parsed document, or null when {@code json} is not well-formed. */
    static @org.jspecify.annotations.Nullable JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
