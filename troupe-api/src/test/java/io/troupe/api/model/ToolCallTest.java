package io.troupe.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ToolCallTest {

    @Test
    void constructor_keepsArgumentsExactlyAsWritten() {
        ToolCall call = new ToolCall("c1", "search", "not json {");

        assertThat(call.arguments()).isEqualTo("not json {");
    }

    @Test
    void constructor_emptyArguments_isAllowed() {
        assertThat(new ToolCall("c1", "search", "").arguments()).isEmpty();
    }

    @Test
    void constructor_blankId_namesTheField() {
        assertThatThrownBy(() -> new ToolCall("", "search", "{}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ToolCall id must not be blank");
    }

    @Test
    void constructor_blankName_namesTheField() {
        assertThatThrownBy(() -> new ToolCall("c1", " ", "{}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ToolCall name must not be blank");
    }

    @Test
    void constructor_nullArguments_namesTheField() {
        assertThatThrownBy(() -> new ToolCall("c1", "search", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ToolCall arguments must not be null");
    }
}
