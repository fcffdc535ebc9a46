package io.troupe.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelResponseTest {

    @Test
    void text_isAFinalAnswerWithoutToolCalls() {
        ModelResponse response = ModelResponse.text("done", Usage.of(3, 1));

        assertThat(response.text()).isEqualTo("done");
        assertThat(response.toolCalls()).isEmpty();
        assertThat(response.hasToolCalls()).isFalse();
        assertThat(response.usage()).isEqualTo(Usage.of(3, 1));
    }

    @Test
    void hasToolCalls_withCalls_isTrue() {
        ModelResponse response = new ModelResponse("", List.of(new ToolCall("c1", "search", "{}")), Usage.ZERO);

        assertThat(response.hasToolCalls()).isTrue();
    }

    @Test
    void constructor_nullText_namesTheField() {
        assertThatThrownBy(() -> new ModelResponse(null, List.of(), Usage.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ModelResponse text must not be null");
    }

    @Test
    void constructor_nullUsage_namesTheField() {
        assertThatThrownBy(() -> new ModelResponse("", List.of(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ModelResponse usage must not be null");
    }

    @Test
    void constructor_nullToolCalls_namesTheField() {
        assertThatThrownBy(() -> new ModelResponse("", null, Usage.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ModelResponse toolCalls must not be null");
    }
}
