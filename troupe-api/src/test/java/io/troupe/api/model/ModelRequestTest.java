package io.troupe.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.tool.ToolDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelRequestTest {

    @Test
    void of_hasNoToolsAndNoSchema() {
        ModelRequest request = ModelRequest.of(List.of(new ChatMessage.User("hi")));

        assertThat(request.tools()).isEmpty();
        assertThat(request.responseSchema()).isNull();
    }

    @Test
    void constructor_emptyMessages_isRejected() {
        assertThatThrownBy(() -> ModelRequest.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ModelRequest messages must not be empty");
    }

    @Test
    void constructor_blankResponseSchema_namesTheField() {
        assertThatThrownBy(() -> new ModelRequest(List.of(new ChatMessage.User("hi")), List.of(), " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ModelRequest responseSchema must not be blank");
    }

    @Test
    void constructor_keepsToolsAndSchema() {
        ToolDefinition search = new ToolDefinition("search", "Searches the web.", ToolDefinition.NO_PARAMETERS);

        ModelRequest request =
                new ModelRequest(List.of(new ChatMessage.User("hi")), List.of(search), "{\"type\":\"object\"}");

        assertThat(request.tools()).containsExactly(search);
        assertThat(request.responseSchema()).isEqualTo("{\"type\":\"object\"}");
    }

    @Test
    void lastUserText_severalUserEntries_returnsTheLatest() {
        ModelRequest request = ModelRequest.of(List.of(
                new ChatMessage.System("be brief"),
                new ChatMessage.User("first"),
                new ChatMessage.Assistant("answer", List.of()),
                new ChatMessage.User("second"),
                new ChatMessage.Assistant("later", List.of())));

        assertThat(request.lastUserText()).isEqualTo("second");
    }

    @Test
    void lastUserText_noUserEntry_isEmpty() {
        ModelRequest request = ModelRequest.of(List.of(new ChatMessage.System("be brief")));

        assertThat(request.lastUserText()).isEmpty();
    }

    @Test
    void systemText_severalSystemEntries_joinsThemWithNewlines() {
        ModelRequest request = ModelRequest.of(List.of(
                new ChatMessage.System("be brief"),
                new ChatMessage.User("hi"),
                new ChatMessage.System("answer in French")));

        assertThat(request.systemText()).isEqualTo("be brief\nanswer in French");
    }

    @Test
    void systemText_noSystemEntry_isEmpty() {
        assertThat(ModelRequest.of(List.of(new ChatMessage.User("hi"))).systemText())
                .isEmpty();
    }

    @Test
    void promptCharacters_countsEveryEntryTextAndToolCallNamesAndArguments() {
        ModelRequest request = ModelRequest.of(List.of(
                new ChatMessage.System("sys"), // 3
                new ChatMessage.User("hello"), // 5
                new ChatMessage.Assistant("ok", List.of(new ToolCall("c1", "search", "{\"q\":1}"))), // 2 + 6 + 7
                new ChatMessage.ToolOutput("c1", "search", "result", false))); // 6

        assertThat(request.promptCharacters()).isEqualTo(3 + 5 + 2 + 6 + 7 + 6);
    }
}
