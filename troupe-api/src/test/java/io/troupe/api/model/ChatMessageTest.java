package io.troupe.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatMessageTest {

    @Test
    void text_eachKind_returnsItsText() {
        List<ChatMessage> messages = List.of(
                new ChatMessage.System("s"),
                new ChatMessage.User("u"),
                new ChatMessage.Assistant("a", List.of()),
                new ChatMessage.ToolOutput("c1", "search", "t", false));

        assertThat(messages).extracting(ChatMessage::text).containsExactly("s", "u", "a", "t");
    }

    @Test
    void system_nullText_namesTheField() {
        assertThatThrownBy(() -> new ChatMessage.System(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("System text must not be null");
    }

    @Test
    void user_nullText_namesTheField() {
        assertThatThrownBy(() -> new ChatMessage.User(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("User text must not be null");
    }

    @Test
    void assistant_nullToolCallElement_namesTheList() {
        List<ToolCall> calls = Arrays.asList(new ToolCall("c1", "search", "{}"), null);

        assertThatThrownBy(() -> new ChatMessage.Assistant("", calls))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an element of Assistant toolCalls must not be null");
    }

    @Test
    void assistant_toolCalls_areCopied() {
        List<ToolCall> calls = new ArrayList<>();
        ChatMessage.Assistant assistant = new ChatMessage.Assistant("", calls);

        calls.add(new ToolCall("c1", "search", "{}"));

        assertThat(assistant.toolCalls()).isEmpty();
    }

    @Test
    void toolOutput_blankToolCallId_namesTheField() {
        assertThatThrownBy(() -> new ChatMessage.ToolOutput(" ", "search", "", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ToolOutput toolCallId must not be blank");
    }

    @Test
    void toolOutput_blankToolName_namesTheField() {
        assertThatThrownBy(() -> new ChatMessage.ToolOutput("c1", "", "", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ToolOutput toolName must not be blank");
    }

    @Test
    void toolOutput_errorFlag_isKept() {
        assertThat(new ChatMessage.ToolOutput("c1", "search", "bad args", true).error())
                .isTrue();
    }
}
