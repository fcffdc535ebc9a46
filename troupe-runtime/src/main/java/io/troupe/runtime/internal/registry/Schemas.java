package io.troupe.runtime.internal.registry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * JSON and JSON schemas for a node: a strict parser (duplicate keys and trailing tokens are errors) and compiled
 * schemas, each compiled once. The parser and the schema factory are made on first use: a node whose runs call no
 * tool starts without loading them. Thread-safe.
 */
public final class Schemas {
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();
    private volatile @Nullable ObjectMapper json;
    private volatile @Nullable JsonSchemaFactory factory;

    /** The strict JSON mapper. */
    public ObjectMapper json() {
        ObjectMapper made = json;
        if (made == null) {
            synchronized (this) {
                made = json;
                if (made == null) {
                    made = new ObjectMapper()
                            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
                    json = made;
                }
            }
        }
        return made;
    }

    /** {@code schema}, compiled (once). */
    public JsonSchema compile(String schema) {
        return compiled.computeIfAbsent(schema, text -> factory().getSchema(text));
    }

    private JsonSchemaFactory factory() {
        JsonSchemaFactory made = factory;
        if (made == null) {
            synchronized (this) {
                made = factory;
                if (made == null) {
                    made = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
                    factory = made;
                }
            }
        }
        return made;
    }

    /** Why {@code schema} is not a usable JSON schema, or null if it is. */
    public @Nullable String problem(String schema) {
        try {
            if (!json().readTree(schema).isObject()) {
                return "it must be a JSON object such as {\"type\":\"object\",\"properties\":{...}}";
            }
            compile(schema);
            return null;
        } catch (JsonProcessingException e) {
            return "it is not valid JSON (" + e.getOriginalMessage() + ")";
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }
}
