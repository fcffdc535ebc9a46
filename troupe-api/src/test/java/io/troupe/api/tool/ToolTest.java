package io.troupe.api.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ToolTest {

    private static final ToolDefinition ECHO =
            new ToolDefinition("echo", "Echoes its arguments.", ToolDefinition.NO_PARAMETERS);

    private static final ToolInvocation INVOCATION = new ToolInvocation("{\"x\":1}", "conv-1:3", "conv-1", "scout", 3);

    @Test
    void of_exposesTheDefinitionAndItsName() {
        Tool tool = Tool.of(ECHO, invocation -> ToolResult.ok(""));

        assertThat(tool.definition()).isSameAs(ECHO);
        assertThat(tool.name()).isEqualTo("echo");
        assertThat(tool).hasToString("Tool[echo]");
    }

    @Test
    void of_execute_passesTheInvocationToTheFunction() throws Exception {
        Tool tool =
                Tool.of(ECHO, invocation -> ToolResult.ok(invocation.idempotencyKey() + " " + invocation.arguments()));

        assertThat(tool.execute(INVOCATION)).isEqualTo(ToolResult.ok("conv-1:3 {\"x\":1}"));
    }

    @Test
    void of_functionThrows_propagatesTheException() {
        Tool tool = Tool.of(ECHO, invocation -> {
            throw new IOException("disk full");
        });

        assertThatThrownBy(() -> tool.execute(INVOCATION))
                .isInstanceOf(IOException.class)
                .hasMessage("disk full");
    }
}
