package io.troupe.api.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ToolDefinitionTest {

    @Test
    void constructor_validFields_keepsThem() {
        ToolDefinition definition =
                new ToolDefinition("get_weather", "Gets the weather for a city.", ToolDefinition.NO_PARAMETERS);

        assertThat(definition.name()).isEqualTo("get_weather");
        assertThat(definition.description()).isEqualTo("Gets the weather for a city.");
        assertThat(definition.parametersSchema()).isEqualTo(ToolDefinition.NO_PARAMETERS);
    }

    @Test
    void constructor_invalidName_statesTheNameRule() {
        assertThatThrownBy(() -> new ToolDefinition("get weather", "d", ToolDefinition.NO_PARAMETERS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Tool name 'get weather' does not match [A-Za-z][A-Za-z0-9_-]{0,63}"
                        + " (a letter, then letters, digits, '_' or '-', at most 64 characters)");
    }

    @Test
    void constructor_nameStartingWithDigit_isRejected() {
        assertThatThrownBy(() -> new ToolDefinition("2fa", "d", ToolDefinition.NO_PARAMETERS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Tool name '2fa' does not match");
    }

    @Test
    void constructor_nullName_namesTheField() {
        assertThatThrownBy(() -> new ToolDefinition(null, "d", ToolDefinition.NO_PARAMETERS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Tool name must not be null");
    }

    @Test
    void constructor_blankDescription_namesTheTool() {
        assertThatThrownBy(() -> new ToolDefinition("search", " ", ToolDefinition.NO_PARAMETERS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Tool description of 'search' must not be blank");
    }

    @Test
    void constructor_blankSchema_namesTheTool() {
        assertThatThrownBy(() -> new ToolDefinition("search", "d", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Tool parametersSchema of 'search' must not be blank");
    }

    @Test
    void noParameters_isAClosedEmptyObjectSchema() {
        assertThat(ToolDefinition.NO_PARAMETERS)
                .isEqualTo("{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}");
    }
}
