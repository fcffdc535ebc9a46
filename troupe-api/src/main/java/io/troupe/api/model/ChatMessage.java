package io.troupe.api.model;

import io.troupe.api.Checks;
import java.util.List;

/** One entry of a prompt: system instructions, a user turn, an assistant turn, or a tool's output. */
public sealed interface ChatMessage {

    /** The text of this entry as the model reads it. */
    String text();

    /** Instructions that frame the whole conversation. */
    record System(String text) implements ChatMessage {
        public System {
            Checks.notNull(text, "System text");
        }
    }

    /** What the agent perceives: a request, an observation or a message from another agent. */
    record User(String text) implements ChatMessage {
        public User {
            Checks.notNull(text, "User text");
        }
    }

    /** What the model said before: text, tool calls, or both. */
    record Assistant(String text, List<ToolCall> toolCalls) implements ChatMessage {
        public Assistant {
            Checks.notNull(text, "Assistant text");
            toolCalls = Checks.list(toolCalls, "Assistant toolCalls");
        }
    }

    /**
     * The result of the tool call with id {@code toolCallId}, or an error the model should act on (for example
     * arguments that did not match the tool's schema).
     */
    record ToolOutput(String toolCallId, String toolName, String text, boolean error) implements ChatMessage {
        public ToolOutput {
            Checks.notBlank(toolCallId, "ToolOutput toolCallId");
            Checks.notBlank(toolName, "ToolOutput toolName");
            Checks.notNull(text, "ToolOutput text");
        }
    }
}
