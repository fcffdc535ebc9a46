package io.troupe.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * Reads a tool call's JSON arguments and writes results as JSON. The runtime has already checked the arguments
 * against the tool's schema, so a missing field here is a bug in the schema, reported as a refusal all the same.
 */
final class Arguments {
    /** Keeps decimals as written: a price of 60.00 stays 60.00. */
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

    private final JsonNode tree;

    private Arguments(JsonNode tree) {
        this.tree = tree;
    }

    /** The arguments of a call. */
    static Arguments parse(String json) throws ToolRefusal {
        try {
            JsonNode tree = JSON.readTree(json.isBlank() ? "{}" : json);
            if (!tree.isObject()) {
                throw new ToolRefusal("the arguments must be a JSON object");
            }
            return new Arguments(tree);
        } catch (JsonProcessingException e) {
            throw new ToolRefusal("the arguments are not JSON: " + e.getOriginalMessage());
        }
    }

    /** The string field {@code name}. */
    String string(String name) throws ToolRefusal {
        String value = optionalString(name);
        if (value == null) {
            throw new ToolRefusal("the argument '" + name + "' (a string) is missing");
        }
        return value;
    }

    /** The string field {@code name}, or null if absent. */
    @Nullable
    String optionalString(String name) throws ToolRefusal {
        JsonNode value = tree.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ToolRefusal("the argument '" + name + "' must be a string");
        }
        return value.asText();
    }

    /** The array field {@code parameters}, or an empty array. */
    JsonNode parameters() throws ToolRefusal {
        JsonNode value = tree.get("parameters");
        if (value == null || value.isNull()) {
            return JSON.createArrayNode();
        }
        if (!value.isArray()) {
            throw new ToolRefusal("the argument 'parameters' must be an array");
        }
        return value;
    }

    /** A new JSON object for a result. */
    static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
