package io.troupe.api.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ToolResultTest {

    @Test
    void ok_isNotAnError() {
        assertThat(ToolResult.ok("{\"temp\":12}")).isEqualTo(new ToolResult("{\"temp\":12}", false));
    }

    @Test
    void error_isAnErrorCarryingTheMessage() {
        assertThat(ToolResult.error("city unknown: try a country too"))
                .isEqualTo(new ToolResult("city unknown: try a country too", true));
    }

    @Test
    void constructor_nullContent_namesTheField() {
        assertThatThrownBy(() -> ToolResult.ok(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ToolResult content must not be null");
    }
}
