package io.troupe.api.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ToolInvocationTest {

    @Test
    void idempotencyKey_isConversationIdColonStep() {
        assertThat(ToolInvocation.idempotencyKey("conv-1", 7)).isEqualTo("conv-1:7");
    }

    @Test
    void constructor_validFields_keepsThem() {
        ToolInvocation invocation =
                new ToolInvocation("{}", ToolInvocation.idempotencyKey("conv-1", 1), "conv-1", "scout", 1);

        assertThat(invocation.arguments()).isEqualTo("{}");
        assertThat(invocation.idempotencyKey()).isEqualTo("conv-1:1");
        assertThat(invocation.conversationId()).isEqualTo("conv-1");
        assertThat(invocation.agentId()).isEqualTo("scout");
        assertThat(invocation.step()).isEqualTo(1);
    }

    @Test
    void constructor_stepZero_reportsTheValue() {
        assertThatThrownBy(() -> new ToolInvocation("{}", "conv-1:0", "conv-1", "scout", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ToolInvocation step must be at least 1, got 0");
    }

    @Test
    void constructor_blankIdempotencyKey_namesTheField() {
        assertThatThrownBy(() -> new ToolInvocation("{}", " ", "conv-1", "scout", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ToolInvocation idempotencyKey must not be blank");
    }

    @Test
    void constructor_blankConversationId_namesTheField() {
        assertThatThrownBy(() -> new ToolInvocation("{}", "conv-1:1", "", "scout", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ToolInvocation conversationId must not be blank");
    }

    @Test
    void constructor_blankAgentId_namesTheField() {
        assertThatThrownBy(() -> new ToolInvocation("{}", "conv-1:1", "conv-1", "", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ToolInvocation agentId must not be blank");
    }

    @Test
    void constructor_nullArguments_namesTheField() {
        assertThatThrownBy(() -> new ToolInvocation(null, "conv-1:1", "conv-1", "scout", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ToolInvocation arguments must not be null");
    }
}
