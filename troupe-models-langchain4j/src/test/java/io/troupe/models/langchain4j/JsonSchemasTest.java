package io.troupe.models.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import io.troupe.api.tool.ToolDefinition;
import org.junit.jupiter.api.Test;

class JsonSchemasTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** LangChain4j's own rendering of a tree back to JSON, as provider modules do for nested schemas. */
    private static String render(JsonSchemaElement element) throws Exception {
        return JSON.writeValueAsString(JsonSchemaElementUtils.toMap(element));
    }

    @Test
    void parameters_convertsEveryCoveredKeywordIntoTheTree() {
        JsonObjectSchema schema = JsonSchemas.parameters("""
                {"type":"object","description":"Args","properties":{
                  "name":{"type":"string","description":"Who"},
                  "age":{"type":"integer"},
                  "score":{"type":"number"},
                  "ok":{"type":"boolean"},
                  "tags":{"type":"array","items":{"type":"string"}},
                  "mode":{"type":"string","enum":["a","b"],"description":"How"},
                  "nested":{"type":"object","properties":{"x":{"type":"number"}},"required":["x"],
                            "additionalProperties":false}},
                 "required":["name","age"],"additionalProperties":false}""", "test schema");

        assertThat(schema.description()).isEqualTo("Args");
        assertThat(schema.required()).containsExactly("name", "age");
        assertThat(schema.additionalProperties()).isFalse();
        assertThat(schema.properties()).containsOnlyKeys("name", "age", "score", "ok", "tags", "mode", "nested");
        assertThat(schema.properties().get("name")).isInstanceOf(JsonStringSchema.class);
        assertThat(((JsonStringSchema) schema.properties().get("name")).description())
                .isEqualTo("Who");
        assertThat(schema.properties().get("age")).isInstanceOf(JsonIntegerSchema.class);
        assertThat(schema.properties().get("tags")).isInstanceOf(JsonArraySchema.class);
        assertThat(((JsonEnumSchema) schema.properties().get("mode")).enumValues())
                .containsExactly("a", "b");
        JsonObjectSchema nested = (JsonObjectSchema) schema.properties().get("nested");
        assertThat(nested.required()).containsExactly("x");
        assertThat(nested.additionalProperties()).isFalse();
    }

    @Test
    void element_passesUncoveredKeywordsThroughUnchanged() throws Exception {
        String days = "{\"type\":\"integer\",\"minimum\":1,\"maximum\":14}";
        String code = "{\"type\":\"string\",\"pattern\":\"^[A-Z]{3}$\"}";
        String choice = "{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"null\"}]}";
        JsonObjectSchema schema = JsonSchemas.parameters(
                "{\"type\":\"object\",\"properties\":{\"days\":" + days + ",\"code\":" + code + ",\"choice\":" + choice
                        + "}}",
                "test schema");

        assertThat(schema.properties().values()).allMatch(JsonRawSchema.class::isInstance);
        assertThat(JSON.readTree(render(schema.properties().get("days")))).isEqualTo(JSON.readTree(days));
        assertThat(JSON.readTree(render(schema.properties().get("code")))).isEqualTo(JSON.readTree(code));
        assertThat(JSON.readTree(render(schema.properties().get("choice")))).isEqualTo(JSON.readTree(choice));
    }

    @Test
    void element_rendersBackToTheSameSchema() throws Exception {
        String schema = """
                {"type":"object","properties":{"a":{"type":"string"},"b":{"anyOf":[{"type":"string"},{"type":"null"}]},
                 "c":{"type":"array","items":{"type":"object","properties":{"d":{"type":"boolean"}}}}},
                 "required":["a"]}""";

        // LangChain4j writes an absent "required" of a nested object as [], which means the same.
        String rendered =
                schema.replace("{\"d\":{\"type\":\"boolean\"}}", "{\"d\":{\"type\":\"boolean\"}},\"required\":[]");

        assertThat(JSON.readTree(render(JsonSchemas.element(schema, "s")))).isEqualTo(JSON.readTree(rendered));
    }

    @Test
    void parameters_acceptTheNoParametersSchema() {
        JsonObjectSchema schema = JsonSchemas.parameters(ToolDefinition.NO_PARAMETERS, "test schema");

        assertThat(schema.properties()).isEmpty();
        assertThat(schema.additionalProperties()).isFalse();
    }

    @Test
    void parameters_rejectInvalidJson_namingTheToolAndPosition() {
        assertThatThrownBy(() -> JsonSchemas.parameters("{\"type\":\"object\",", "parametersSchema of tool 'x'"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("parametersSchema of tool 'x' is not valid JSON")
                .hasMessageContaining("line 1");
    }

    @Test
    void parameters_rejectANonObjectRoot() {
        assertThatThrownBy(() -> JsonSchemas.parameters("{\"type\":\"string\"}", "parametersSchema of tool 'x'"))
                .hasMessage("parametersSchema of tool 'x' must have \"type\": \"object\" at its root, got \"string\";"
                        + " wrap the value in an object");
    }

    @Test
    void parameters_rejectRootKeywordsTheToolCannotCarry() {
        assertThatThrownBy(() -> JsonSchemas.parameters(
                        "{\"type\":\"object\",\"allOf\":[{\"required\":[\"a\"]}]}", "parametersSchema of tool 'x'"))
                .hasMessageStartingWith("parametersSchema of tool 'x' uses 'allOf' at its root");
    }

    @Test
    void title_isUsedOnlyWhenItIsAValidSchemaName() {
        assertThat(JsonSchemas.title("{\"title\":\"Verdict\"}")).isEqualTo("Verdict");
        assertThat(JsonSchemas.title("{\"title\":\"Two words\"}")).isNull();
        assertThat(JsonSchemas.title("{}")).isNull();
    }
}
