package io.troupe.models.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.api.ConfigurationException;
import io.troupe.api.tool.ToolDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrammarSchemasTest {

    private static JsonNode sanitize(String schema) {
        return GrammarSchemas.sanitize(GrammarSchemas.parse(schema, "test schema"));
    }

    @Test
    void sanitize_keepsStructureAndDropsWhatTheConverterCannotHandle() {
        JsonNode clean = sanitize("""
                {"type": "object", "description": "a person",
                 "properties": {"name": {"type": "string", "pattern": "(x", "maxLength": 9},
                                "tag": {"not": {"type": "null"}},
                                "kind": {"type": "bogus"}},
                 "required": ["name", "ghost"], "additionalProperties": false}""");

        assertThat(clean.toString())
                .isEqualTo("{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"maxLength\":9},"
                        + "\"tag\":{},\"kind\":{}},\"required\":[\"name\"],\"additionalProperties\":false}");
    }

    @Test
    void sanitize_keepsLocalRefsToDefinitionsAndDropsOthers() {
        JsonNode clean = sanitize("""
                {"$defs": {"id": {"type": "integer"}},
                 "properties": {"a": {"$ref": "#/$defs/id"}, "b": {"$ref": "#/properties"},
                                "c": {"$ref": "https://example.com/s"}}}""");

        assertThat(clean.at("/properties/a/$ref").asText()).isEqualTo("#/$defs/id");
        assertThat(clean.at("/properties/b").isEmpty()).isTrue();
        assertThat(clean.at("/properties/c").isEmpty()).isTrue();
    }

    @Test
    void toolEnvelope_putsTheToolNameFirstAndMovesDefinitionsToTheRoot() {
        ToolDefinition tool = new ToolDefinition(
                "lookup",
                "Looks up an id",
                "{\"properties\":{\"id\":{\"$ref\":\"#/$defs/id\"}},\"$defs\":{\"id\":{\"type\":\"integer\"}}}");

        JsonNode envelope = GrammarSchemas.parse(GrammarSchemas.toolEnvelope(List.of(tool), null), "envelope");

        JsonNode call = envelope.at("/anyOf/0");
        assertThat(call.get("properties").fieldNames()).toIterable().containsExactly("tool", "arguments");
        assertThat(call.at("/properties/tool/const").asText()).isEqualTo("lookup");
        assertThat(call.at("/properties/arguments/type").asText()).isEqualTo("object");
        assertThat(call.at("/properties/arguments/properties/id/$ref").asText()).isEqualTo("#/$defs/t0-id");
        assertThat(envelope.at("/$defs/t0-id/type").asText()).isEqualTo("integer");
        assertThat(envelope.at("/anyOf/1/properties/answer/type").asText()).isEqualTo("string");
    }

    @Test
    void parse_invalidJson_namesTheSchema() {
        assertThatThrownBy(() -> GrammarSchemas.parse("{not json", "parametersSchema of tool 'x'"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("parametersSchema of tool 'x' is not valid JSON");
    }

    @Test
    void boundNumbers_keepsNonNegativeAndUnitNumbersInRange_andLeavesOthersAlone() {
        // As llama.cpp's converter writes it for the schema below (trimmed to the rules that matter).
        String grammar = String.join(
                "\n",
                "confidence-kv ::= \"\\\"confidence\\\"\" space \":\" space number",
                "cost-kv ::= \"\\\"cost\\\"\" space \":\" space number",
                "delta-kv ::= \"\\\"delta\\\"\" space \":\" space number",
                "number ::= (\"-\"? integral-part) (\".\" decimal-part)? ([eE] [-+]? integral-part)? space",
                "");
        String schema = "{\"type\":\"object\",\"properties\":{"
                + "\"cost\":{\"type\":\"number\",\"minimum\":0},"
                + "\"confidence\":{\"type\":\"number\",\"minimum\":0,\"maximum\":1},"
                + "\"delta\":{\"type\":\"number\",\"minimum\":-5}}}";

        String bounded = GrammarSchemas.boundNumbers(grammar, schema);

        assertThat(bounded.lines())
                .containsExactly(
                        "confidence-kv ::= \"\\\"confidence\\\"\" space \":\" space unit-number",
                        "cost-kv ::= \"\\\"cost\\\"\" space \":\" space nonneg-number",
                        "delta-kv ::= \"\\\"delta\\\"\" space \":\" space number",
                        "number ::= (\"-\"? integral-part) (\".\" decimal-part)? ([eE] [-+]? integral-part)? space",
                        GrammarSchemas.NON_NEGATIVE,
                        GrammarSchemas.UNIT);
    }
}
