package io.troupe.models.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import de.kherud.llama.LlamaModel;
import io.troupe.api.tool.ToolDefinition;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Schemas that make llama.cpp's native converter abort the JVM pass through {@link GrammarSchemas} safely. If one
 * still aborted, this test's JVM would die and the build would fail loudly.
 */
class JsonSchemaGrammarIT {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"type\":\"foo\"}",
                "true",
                "{\"type\":\"object\",\"properties\":{\"a\":true}}",
                "{\"$ref\":\"http://example.com/schema\"}",
                "{\"$ref\":\"#/defs/nope\"}",
                "{\"$ref\":\"#/properties\",\"properties\":{\"type\":{\"type\":\"string\"}}}",
                "{\"anyOf\":[{\"type\":\"string\"}],\"$ref\":\"#/anyOf/0\"}",
                "{\"type\":\"string\",\"pattern\":\"(unclosed\"}",
                "{\"not\":{\"type\":\"string\"}}",
                "{\"type\":\"integer\",\"exclusiveMinimum\":true,\"minimum\":1.5}",
                "{\"type\":\"string\",\"minLength\":9,\"maxLength\":3}",
                "{\"type\":\"string\",\"maxLength\":100000}",
                "{\"type\":\"array\",\"items\":false,\"minItems\":-1}",
                "{\"type\":[\"string\",\"bogus\"],\"enum\":[]}",
                "{\"type\":\"object\",\"required\":[\"missing\"],\"additionalProperties\":7}",
                "{\"$defs\":{\"node\":{\"type\":\"object\",\"properties\":{\"next\":{\"$ref\":\"#/$defs/node\"}}}},"
                        + "\"$ref\":\"#/$defs/node\"}",
                "{\"definitions\":{\"a~b\":{\"type\":\"string\"}},\"$ref\":\"#/definitions/a~0b\"}",
                "{\"minimum\":1}",
                "{\"minLength\":3,\"format\":\"date\"}",
                "{\"$defs\":{\"a\":{\"type\":\"string\"}}}",
                "{\"properties\":{\"a\":{\"$ref\":\"#/properties/b/$defs/x\",\"minimum\":1},"
                        + "\"b\":{\"$defs\":{\"x\":{\"type\":\"string\"}},\"minimum\":2}}}",
            })
    void sanitize_hostileSchema_convertsWithoutAbortingTheJvm(String schema) {
        String safe = GrammarSchemas.sanitize(GrammarSchemas.parse(schema, "test schema"))
                .toString();

        assertThat(LlamaModel.jsonSchemaToGrammar(safe)).contains("root ::=");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"type\":\"object\",\"properties\":{\"n\":{\"$ref\":\"#/$defs/n\"}},"
                        + "\"$defs\":{\"n\":{\"type\":\"integer\"}}}",
                "{\"type\":\"object\",\"properties\":{\"n\":{\"$ref\":\"#/definitions/n\"}},"
                        + "\"definitions\":{\"n\":{\"not\":{}}}}",
                "{\"type\":\"foo\"}",
                "{\"properties\":{\"a\":{\"$ref\":\"#/properties/b\",\"minimum\":1},\"b\":{\"type\":\"string\"}}}",
            })
    void toolEnvelope_toolSchemaWithDefinitions_convertsWithoutAbortingTheJvm(String parameters) {
        ToolDefinition tool = new ToolDefinition("lookup", "Looks something up", parameters);

        String envelope = GrammarSchemas.toolEnvelope(List.of(tool), parameters);

        assertThat(LlamaModel.jsonSchemaToGrammar(envelope)).contains("root ::=");
    }
}
