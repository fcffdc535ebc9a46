package io.troupe.interop.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The MCP SDK's schema validator, on the JSON Schema library the runtime's tool gate uses (networknt 1.5), so that
 * one library judges every schema and the SDK's own validator (networknt 2) stays off the class path. Give it to any
 * MCP client or server built with the SDK beside Troupe ({@code McpClient.sync(transport).jsonSchemaValidator(
 * SchemaValidator.create())}): without one, the SDK looks for its own validator, which is not there. Compiled schemas
 * are cached by their text. Thread-safe.
 */
public final class SchemaValidator implements JsonSchemaValidator {
    private final ObjectMapper json;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

    SchemaValidator(ObjectMapper json) {
        this.json = json;
    }

    /** A validator with its own JSON mapper. */
    public static SchemaValidator create() {
        return new SchemaValidator(new ObjectMapper());
    }

    @Override
    public ValidationResponse validate(Map<String, Object> schema, Object structuredContent) {
        try {
            JsonNode content = json.valueToTree(structuredContent);
            Set<ValidationMessage> problems = compile(schema).validate(content);
            if (problems.isEmpty()) {
                return ValidationResponse.asValid(json.writeValueAsString(content));
            }
            return ValidationResponse.asInvalid("the content does not follow the tool's schema: "
                    + problems.stream().map(ValidationMessage::getMessage).collect(Collectors.joining("; ")));
        } catch (Exception e) {
            return ValidationResponse.asInvalid("the schema or the content could not be checked: " + e.getMessage());
        }
    }

    @Override
    public ValidationResponse validateSchema(Map<String, Object> schema) {
        try {
            compile(schema);
            return ValidationResponse.asValid(null);
        } catch (RuntimeException e) {
            return ValidationResponse.asInvalid(String.valueOf(e.getMessage()));
        }
    }

    private JsonSchema compile(Map<String, Object> schema) {
        JsonNode node = json.valueToTree(schema);
        return compiled.computeIfAbsent(node.toString(), text -> factory.getSchema(node));
    }
}
