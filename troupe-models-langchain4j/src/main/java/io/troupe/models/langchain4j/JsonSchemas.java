package io.troupe.models.langchain4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Converts a JSON-schema string into LangChain4j's {@link JsonSchemaElement} tree.
 *
 * <p>LangChain4j 1.11 has no converter from a schema string (only from Java classes), and a tool's parameters must be a
 * {@link JsonObjectSchema}, so Troupe converts. The tree covers object (properties, required, boolean
 * additionalProperties, {@code $defs}), string, number, integer, boolean, null, array (items), string enum and anyOf,
 * each with its description. A node that uses any other keyword (pattern, minimum, format, oneOf, {@code $ref},
 * title…) is passed through unchanged as a {@link JsonRawSchema}, which every provider module renders verbatim; so the
 * schema that reaches the provider says the same as the one the tool declared. Only the root of a tool's parameters
 * cannot be raw; there, {@code $schema} and {@code title} are dropped and other extra keywords are rejected.
 *
 * <p>One loss is LangChain4j's, not this class's: its OpenAI, Anthropic and Ollama modules (1.11) write a tool's root
 * object from its properties and required list only, so the root {@code additionalProperties} never reaches the
 * provider (nested objects keep theirs). Troupe's runtime validates every call against the full schema, so extra
 * arguments still come back to the model as an error.
 *
 * <p>Stateless and thread-safe.
 */
final class JsonSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<String> OBJECT_KEYWORDS =
            Set.of("type", "description", "properties", "required", "additionalProperties", "$defs");
    private static final Set<String> SCALAR_KEYWORDS = Set.of("type", "description");
    private static final Set<String> ARRAY_KEYWORDS = Set.of("type", "description", "items");
    private static final Set<String> ENUM_KEYWORDS = Set.of("type", "description", "enum");
    private static final Set<String> ANY_OF_KEYWORDS = Set.of("description", "anyOf");
    private static final Set<String> ROOT_ANNOTATIONS = Set.of("$schema", "title");

    private JsonSchemas() {}

    /**
     * The parameters of a tool: the root must be an object schema.
     *
     * @throws IllegalArgumentException naming {@code what} if the text is not JSON or not an object schema
     */
    static JsonObjectSchema parameters(String schema, String what) {
        JsonNode root = parse(schema, what);
        for (var names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!OBJECT_KEYWORDS.contains(name) && !ROOT_ANNOTATIONS.contains(name)) {
                throw new IllegalArgumentException(what + " uses '" + name + "' at its root, which LangChain4j cannot"
                        + " send with a tool; keep the root to type, description, properties, required,"
                        + " additionalProperties and $defs, and put other keywords inside properties");
            }
        }
        JsonNode type = root.get("type");
        if (type != null && !"object".equals(type.asText())) {
            throw new IllegalArgumentException(what + " must have \"type\": \"object\" at its root, got " + type
                    + "; wrap the value in an object");
        }
        String wrong = rootProblem(root);
        if (wrong != null) {
            throw new IllegalArgumentException(what + ": " + wrong + " at its root");
        }
        return object(root);
    }

    /**
     * Any schema, such as a structured-output response schema.
     *
     * @throws IllegalArgumentException naming {@code what} if the text is not a JSON object
     */
    static JsonSchemaElement element(String schema, String what) {
        JsonNode root = parse(schema, what);
        if (root.isObject() && root.has("$schema")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) root).remove("$schema");
        }
        return convert(root);
    }

    /** The root's {@code title}, if it is usable as an OpenAI schema name. */
    static @Nullable String title(String schema) {
        try {
            JsonNode title = JSON.readTree(schema).get("title");
            return title != null && title.isTextual() && title.asText().matches("[A-Za-z0-9_-]{1,64}")
                    ? title.asText()
                    : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static JsonNode parse(String schema, String what) {
        JsonNode root;
        try {
            root = JSON.readTree(schema);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    what + " is not valid JSON: " + e.getOriginalMessage() + " (line "
                            + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")",
                    e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(what + " must be a JSON object, got: " + abbreviate(schema));
        }
        return root;
    }

    private static JsonSchemaElement convert(JsonNode node) {
        if (!node.isObject()) {
            return raw(node);
        }
        if (node.has("enum")) {
            return onlyUses(node, ENUM_KEYWORDS) && isStringEnum(node) ? enumeration(node) : raw(node);
        }
        if (node.has("anyOf")) {
            return onlyUses(node, ANY_OF_KEYWORDS) && node.get("anyOf").isArray() ? anyOf(node) : raw(node);
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            return raw(node); // no type, or a list of types: pass through
        }
        return switch (type.asText()) {
            case "object" -> onlyUses(node, OBJECT_KEYWORDS) && isSimpleObject(node) ? object(node) : raw(node);
            case "array" -> onlyUses(node, ARRAY_KEYWORDS) && node.path("items").isObject() ? array(node) : raw(node);
            case "string" -> onlyUses(node, SCALAR_KEYWORDS) ? described(JsonStringSchema.builder(), node) : raw(node);
            case "integer" ->
                onlyUses(node, SCALAR_KEYWORDS) ? described(JsonIntegerSchema.builder(), node) : raw(node);
            case "number" -> onlyUses(node, SCALAR_KEYWORDS) ? described(JsonNumberSchema.builder(), node) : raw(node);
            case "boolean" ->
                onlyUses(node, SCALAR_KEYWORDS) ? described(JsonBooleanSchema.builder(), node) : raw(node);
            case "null" -> node.size() == 1 ? new JsonNullSchema() : raw(node);
            default -> raw(node);
        };
    }

    private static JsonObjectSchema object(JsonNode node) {
        JsonObjectSchema.Builder builder = JsonObjectSchema.builder();
        String description = description(node);
        if (description != null) {
            builder.description(description);
        }
        Map<String, JsonSchemaElement> properties = new LinkedHashMap<>();
        node.path("properties").properties().forEach(p -> properties.put(p.getKey(), convert(p.getValue())));
        builder.addProperties(properties);
        JsonNode required = node.get("required");
        if (required != null && required.isArray()) {
            List<String> names = new ArrayList<>();
            required.forEach(name -> names.add(name.asText()));
            builder.required(names);
        }
        JsonNode additional = node.get("additionalProperties");
        if (additional != null && additional.isBoolean()) {
            builder.additionalProperties(additional.asBoolean());
        }
        JsonNode defs = node.get("$defs");
        if (defs != null && defs.isObject()) {
            Map<String, JsonSchemaElement> definitions = new LinkedHashMap<>();
            defs.properties().forEach(d -> definitions.put(d.getKey(), convert(d.getValue())));
            builder.definitions(definitions);
        }
        return builder.build();
    }

    /** Whether the object's keywords have the shapes the tree can hold; anything else goes through raw. */
    private static boolean isSimpleObject(JsonNode node) {
        return rootProblem(node) == null;
    }

    /** What keeps {@code node} from being an object schema LangChain4j can send, or null. */
    private static @org.jspecify.annotations.Nullable String rootProblem(JsonNode node) {
        if (node.has("properties") && !node.get("properties").isObject()) {
            return "'properties' must be an object of property schemas, got " + node.get("properties");
        }
        if (node.has("required") && !node.get("required").isArray()) {
            return "'required' must be an array of property names, got " + node.get("required");
        }
        if (node.has("additionalProperties")
                && !node.get("additionalProperties").isBoolean()) {
            return "'additionalProperties' must be true or false, got " + node.get("additionalProperties");
        }
        if (node.has("$defs") && !node.get("$defs").isObject()) {
            return "'$defs' must be an object of schemas, got " + node.get("$defs");
        }
        return null;
    }

    private static JsonSchemaElement array(JsonNode node) {
        JsonArraySchema.Builder builder = JsonArraySchema.builder().items(convert(node.get("items")));
        String description = description(node);
        return description == null
                ? builder.build()
                : builder.description(description).build();
    }

    private static JsonSchemaElement enumeration(JsonNode node) {
        List<String> values = new ArrayList<>();
        node.get("enum").forEach(value -> values.add(value.asText()));
        JsonEnumSchema.Builder builder = JsonEnumSchema.builder().enumValues(values);
        String description = description(node);
        return description == null
                ? builder.build()
                : builder.description(description).build();
    }

    private static JsonSchemaElement anyOf(JsonNode node) {
        List<JsonSchemaElement> options = new ArrayList<>();
        node.get("anyOf").forEach(option -> options.add(convert(option)));
        JsonAnyOfSchema.Builder builder = JsonAnyOfSchema.builder().anyOf(options);
        String description = description(node);
        return description == null
                ? builder.build()
                : builder.description(description).build();
    }

    private static JsonSchemaElement described(JsonStringSchema.Builder builder, JsonNode node) {
        String description = description(node);
        return description == null
                ? builder.build()
                : builder.description(description).build();
    }

    private static JsonSchemaElement described(JsonIntegerSchema.Builder builder, JsonNode node) {
        String description = description(node);
        return description == null
                ? builder.build()
                : builder.description(description).build();
    }

    private static JsonSchemaElement described(JsonNumberSchema.Builder builder, JsonNode node) {
        String description = description(node);
        return description == null
                ? builder.build()
                : builder.description(description).build();
    }

    private static JsonSchemaElement described(JsonBooleanSchema.Builder builder, JsonNode node) {
        String description = description(node);
        return description == null
                ? builder.build()
                : builder.description(description).build();
    }

    private static boolean isStringEnum(JsonNode node) {
        JsonNode values = node.get("enum");
        JsonNode type = node.get("type");
        if (!values.isArray() || values.isEmpty() || (type != null && !"string".equals(type.asText()))) {
            return false;
        }
        for (JsonNode value : values) {
            if (!value.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static boolean onlyUses(JsonNode node, Set<String> keywords) {
        for (var names = node.fieldNames(); names.hasNext(); ) {
            if (!keywords.contains(names.next())) {
                return false;
            }
        }
        JsonNode description = node.get("description");
        return description == null || description.isTextual();
    }

    private static @Nullable String description(JsonNode node) {
        JsonNode description = node.get("description");
        return description != null && description.isTextual() ? description.asText() : null;
    }

    private static JsonRawSchema raw(JsonNode node) {
        return JsonRawSchema.from(node.toString());
    }

    private static String abbreviate(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= 80 ? flat : flat.substring(0, 80) + "…";
    }
}
