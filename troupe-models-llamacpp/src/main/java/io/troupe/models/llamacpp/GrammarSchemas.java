package io.troupe.models.llamacpp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.api.ConfigurationException;
import io.troupe.api.tool.ToolDefinition;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns JSON schemas into schemas that llama.cpp's JSON-schema-to-grammar converter accepts.
 *
 * <p>Why: the converter (native, in b4916) aborts the whole JVM on schemas it does not understand: an unknown
 * {@code type}, a boolean subschema, a {@code not}, a remote or dangling {@code $ref}, a {@code pattern} it cannot
 * parse, a boolean {@code exclusiveMinimum}. So every schema passes through {@link #sanitize} first, which keeps the
 * structural keywords the converter handles and drops the rest. Dropping only loosens the grammar: the output still
 * has the right shape, and Troupe's runtime validates tool arguments against the full schema afterwards.
 *
 * <p>It also builds the tool-call envelope: a JSON object that is either {@code {"tool": <name>, "arguments": <object
 * following that tool's schema>}} or {@code {"answer": <text, or the response schema>}}.
 */
final class GrammarSchemas {
    static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<String> TYPES =
            Set.of("string", "number", "integer", "boolean", "null", "object", "array");
    private static final Set<String> STRUCTURAL =
            Set.of("$ref", "anyOf", "allOf", "type", "const", "enum", "properties", "items", "prefixItems");
    private static final int MAX_REPEAT = 256;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private GrammarSchemas() {}

    /** Parses {@code schema}; a {@link ConfigurationException} naming {@code what} if it is not JSON. */
    static JsonNode parse(String schema, String what) {
        try {
            return JSON.readTree(schema);
        } catch (JsonProcessingException e) {
            throw new ConfigurationException(
                    what + " is not valid JSON (" + e.getOriginalMessage() + "): fix the JSON schema text");
        }
    }

    /** A copy of {@code schema} that the native converter handles without aborting. */
    static ObjectNode sanitize(JsonNode schema) {
        Set<JsonNode> schemas = Collections.newSetFromMap(new IdentityHashMap<>());
        ObjectNode clean = clean(schema, schemas);
        while (dropDanglingRefs(clean, clean, schemas)) {
            // dropping a ref can empty a node that held definitions other refs point at: repeat until stable
        }
        return clean;
    }

    /** A non-negative JSON number: no sign, no exponent. */
    static final String NON_NEGATIVE = "nonneg-number ::= integral-part (\".\" decimal-part)? space";
    /** A JSON number from 0 to 1. */
    static final String UNIT = "unit-number ::= (\"0\" (\".\" decimal-part)? | \"1\" (\".\" \"0\"{1,16})?) space";

    /**
     * {@code grammar} with the number properties of the root object bounded as {@code schema} says. llama.cpp's
     * converter bounds integers but ignores {@code minimum} and {@code maximum} on numbers, so a small model can
     * write a negative price or a confidence of 5; this keeps a property with {@code minimum >= 0} non-negative, and
     * one within [0, 1] within it. Other bounds are left to schema validation after decoding.
     */
    static String boundNumbers(String grammar, String schema) {
        JsonNode properties;
        try {
            properties = JSON.readTree(schema).path("properties");
        } catch (java.io.IOException e) {
            return grammar;
        }
        StringBuilder out = new StringBuilder(grammar);
        Set<String> added = new java.util.HashSet<>();
        for (var field : properties.properties()) {
            JsonNode property = field.getValue();
            if (!"number".equals(property.path("type").asText())
                    || !property.path("minimum").isNumber()
                    || property.path("minimum").decimalValue().signum() < 0) {
                continue;
            }
            boolean unit = property.path("maximum").isNumber()
                    && property.path("maximum").decimalValue().compareTo(java.math.BigDecimal.ONE) <= 0;
            String rule = field.getKey().replaceAll("[^a-zA-Z0-9-]+", "-") + "-kv ::= ";
            String target = unit ? "unit-number" : "nonneg-number";
            int start = out.indexOf(rule);
            int end = start < 0 ? -1 : out.indexOf("\n", start);
            String line = start < 0 ? "" : out.substring(start, end < 0 ? out.length() : end);
            if (!line.endsWith(" number")) {
                continue;
            }
            out.replace(start + line.length() - "number".length(), start + line.length(), target);
            if (added.add(target)) {
                if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                    out.append('\n');
                }
                out.append(unit ? UNIT : NON_NEGATIVE).append('\n');
            }
        }
        return out.toString();
    }

    /** The sanitised response schema, as text for the converter. */
    static String responseSchema(String schema) {
        return sanitize(parse(schema, "ModelRequest responseSchema")).toString();
    }

    /** The schema of the tool-call envelope for {@code tools}, with the answer following {@code responseSchema}. */
    static String toolEnvelope(List<ToolDefinition> tools, @Nullable String responseSchema) {
        ArrayNode choices = NODES.arrayNode();
        ObjectNode defs = NODES.objectNode();
        int index = 0;
        for (ToolDefinition tool : tools) {
            ObjectNode arguments = relocate(
                    sanitize(parse(tool.parametersSchema(), "parametersSchema of tool '" + tool.name() + "'")),
                    "t" + index++ + "-",
                    defs);
            if (!arguments.has("type") && !arguments.has("$ref") && !arguments.has("anyOf")) {
                arguments.put("type", "object");
            }
            ObjectNode properties = NODES.objectNode();
            properties.set("tool", NODES.objectNode().put("const", tool.name()));
            properties.set("arguments", arguments);
            choices.add(envelope(properties, "tool", "arguments"));
        }
        ObjectNode answer = responseSchema == null
                ? NODES.objectNode().put("type", "string")
                : relocate(sanitize(parse(responseSchema, "ModelRequest responseSchema")), "answer-", defs);
        ObjectNode properties = NODES.objectNode();
        properties.set("answer", answer);
        choices.add(envelope(properties, "answer"));
        ObjectNode root = NODES.objectNode();
        root.set("anyOf", choices);
        if (!defs.isEmpty()) {
            root.set("$defs", defs);
        }
        return root.toString();
    }

    private static ObjectNode envelope(ObjectNode properties, String... required) {
        ObjectNode object = NODES.objectNode().put("type", "object");
        object.set("properties", properties);
        ArrayNode names = object.putArray("required");
        for (String name : required) {
            names.add(name);
        }
        object.put("additionalProperties", false);
        return object;
    }

    private static ObjectNode clean(JsonNode node, Set<JsonNode> schemas) {
        ObjectNode out = NODES.objectNode();
        schemas.add(out);
        if (!node.isObject()) {
            return out; // true, false and non-schemas become "any JSON value"
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            switch (key) {
                case "type" -> cleanType(value, out);
                case "properties", "$defs", "definitions" -> {
                    if (value.isObject()) {
                        ObjectNode map = out.putObject(key);
                        value.fields().forEachRemaining(e -> map.set(e.getKey(), clean(e.getValue(), schemas)));
                    }
                }
                case "required" -> {
                    if (value.isArray()) {
                        ArrayNode names = NODES.arrayNode();
                        value.forEach(name -> {
                            if (name.isTextual()) {
                                names.add(name);
                            }
                        });
                        out.set(key, names);
                    }
                }
                case "additionalProperties" -> {
                    if (value.isBoolean()) {
                        out.set(key, value);
                    } else if (value.isObject()) {
                        out.set(key, clean(value, schemas));
                    }
                }
                case "items" -> {
                    if (value.isObject()) {
                        out.set(key, clean(value, schemas));
                    } else if (value.isArray()) {
                        out.set(key, cleanList(value, schemas));
                    }
                }
                case "prefixItems", "anyOf", "oneOf", "allOf" -> {
                    if (value.isArray() && !value.isEmpty()) {
                        out.set(key.equals("oneOf") ? "anyOf" : key, cleanList(value, schemas));
                    }
                }
                case "enum" -> {
                    if (value.isArray() && !value.isEmpty()) {
                        out.set(key, value.deepCopy());
                    }
                }
                case "const" -> out.set(key, value.deepCopy());
                case "minLength", "maxLength", "minItems", "maxItems" -> {
                    if (value.canConvertToExactIntegral() && value.asLong(-1) >= 0 && value.asLong() <= MAX_REPEAT) {
                        out.put(key, value.asInt());
                    }
                }
                case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" -> {
                    if (value.canConvertToExactIntegral() && Math.abs(value.asLong()) < 1_000_000_000_000_000L) {
                        out.put(key, value.asLong());
                    }
                }
                case "$ref" -> {
                    String ref = value.asText("");
                    if (value.isTextual() && ref.startsWith("#/") && ref.indexOf('~') < 0 && ref.indexOf('%') < 0) {
                        out.set(key, value);
                    }
                }
                default -> {
                    // pattern, format, not, if/then/else, description and the rest: not enforced by the grammar
                }
            }
        }
        dropInvertedBounds(out, "minLength", "maxLength");
        dropInvertedBounds(out, "minItems", "maxItems");
        dropInvertedBounds(out, "minimum", "maximum");
        keepRequiredDeclared(out);
        if (!recognised(out)) {
            out.removeAll(); // e.g. {"minimum": 1} or {"$defs": ...} alone: the converter rejects such schemas
        }
        return out;
    }

    /** Whether the converter knows what to do with {@code schema}: it aborts on a non-empty schema it does not. */
    private static boolean recognised(ObjectNode schema) {
        if (schema.isEmpty()) {
            return true;
        }
        for (String key : STRUCTURAL) {
            if (schema.has(key)) {
                return true;
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        return additional != null && !(additional.isBoolean() && additional.asBoolean());
    }

    private static void cleanType(JsonNode value, ObjectNode out) {
        if (value.isTextual() && TYPES.contains(value.asText())) {
            out.set("type", value);
        } else if (value.isArray()) {
            ArrayNode types = NODES.arrayNode();
            value.forEach(type -> {
                if (type.isTextual() && TYPES.contains(type.asText())) {
                    types.add(type);
                }
            });
            if (!types.isEmpty()) {
                out.set("type", types);
            }
        }
    }

    private static ArrayNode cleanList(JsonNode list, Set<JsonNode> schemas) {
        ArrayNode out = NODES.arrayNode();
        list.forEach(item -> out.add(clean(item, schemas)));
        return out;
    }

    private static void dropInvertedBounds(ObjectNode node, String min, String max) {
        if (node.has(min)
                && node.has(max)
                && node.get(min).asLong() > node.get(max).asLong()) {
            node.remove(min);
            node.remove(max);
        }
    }

    private static void keepRequiredDeclared(ObjectNode node) {
        JsonNode required = node.get("required");
        if (required == null) {
            return;
        }
        JsonNode properties = node.get("properties");
        ArrayNode kept = NODES.arrayNode();
        required.forEach(name -> {
            if (properties != null && properties.has(name.asText())) {
                kept.add(name);
            }
        });
        node.set("required", kept);
    }

    /**
     * Removes every {@code $ref} that does not point at one of the cleaned {@code schemas} inside {@code root} (a ref to
     * a {@code properties} map, say, is not a schema and would abort the converter).
     */
    private static boolean dropDanglingRefs(JsonNode node, ObjectNode root, Set<JsonNode> schemas) {
        boolean changed = false;
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && !schemas.contains(target(root, ref.asText()))) {
                object.remove("$ref");
                if (!recognised(object)) {
                    object.removeAll();
                }
                changed = true;
            }
            for (JsonNode child : object) {
                changed |= dropDanglingRefs(child, root, schemas);
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                changed |= dropDanglingRefs(child, root, schemas);
            }
        }
        return changed;
    }

    /** The node {@code ref} names, walking objects only: the converter cannot step into arrays. */
    private static @Nullable JsonNode target(ObjectNode root, String ref) {
        JsonNode target = root;
        for (String segment : ref.substring(2).split("/", -1)) {
            if (!(target instanceof ObjectNode object) || !object.has(segment)) {
                return null;
            }
            target = object.get(segment);
        }
        return target;
    }

    /**
     * Moves the {@code $defs} and {@code definitions} of {@code schema} into {@code rootDefs} under names starting with
     * {@code prefix}, and rewrites its refs to match, so that the schema can sit deep inside another one. Refs to
     * anything but a definition are dropped.
     */
    private static ObjectNode relocate(ObjectNode schema, String prefix, ObjectNode rootDefs) {
        for (String key : List.of("$defs", "definitions")) {
            JsonNode defs = schema.remove(key);
            if (defs instanceof ObjectNode map) {
                String namePrefix = key.equals("$defs") ? prefix : prefix + "definitions-";
                map.fields().forEachRemaining(e -> rootDefs.set(namePrefix + e.getKey(), e.getValue()));
            }
        }
        rewriteRefs(schema, prefix);
        rootDefs.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith(prefix)) {
                rewriteRefs(e.getValue(), prefix);
            }
        });
        return schema;
    }

    private static void rewriteRefs(JsonNode node, String prefix) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && !ref.asText().startsWith("#/$defs/" + prefix)) {
                String text = ref.asText();
                String name = text.startsWith("#/$defs/")
                        ? prefix + text.substring("#/$defs/".length())
                        : text.startsWith("#/definitions/")
                                ? prefix + "definitions-" + text.substring("#/definitions/".length())
                                : null;
                if (name == null || name.contains("/")) {
                    object.remove("$ref");
                    if (!recognised(object)) {
                        object.removeAll();
                    }
                } else {
                    object.put("$ref", "#/$defs/" + name);
                }
            }
            object.forEach(child -> rewriteRefs(child, prefix));
        } else if (node.isArray()) {
            node.forEach(child -> rewriteRefs(child, prefix));
        }
    }
}
