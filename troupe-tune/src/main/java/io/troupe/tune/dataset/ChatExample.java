package io.troupe.tune.dataset;

import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.tool.ToolDefinition;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One training conversation: the prompt an agent's model saw, ending with the answer it gave (an {@link
 * ChatMessage.Assistant} with text or tool calls), and the tools it was offered.
 *
 * @param messages the conversation; the last entry is the answer to train on
 * @param tools the tools offered to the model
 * @param responseSchema the JSON schema the answer had to follow, or null
 * @param provenance the journaled call it came from, or null when read from a file
 */
public record ChatExample(
        List<ChatMessage> messages,
        List<ToolDefinition> tools,
        @Nullable String responseSchema,
        @Nullable Provenance provenance) {

    public ChatExample {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
        if (messages.size() < 2 || !(messages.getLast() instanceof ChatMessage.Assistant)) {
            throw new IllegalArgumentException("a chat example needs a prompt and ends with the assistant's answer");
        }
    }

    /** The answer to train on. */
    public ChatMessage.Assistant answer() {
        return (ChatMessage.Assistant) messages.getLast();
    }

    /** The request the model answered: every message but the last, with the tools and response schema. */
    public ModelRequest request() {
        return new ModelRequest(messages.subList(0, messages.size() - 1), tools, responseSchema);
    }
}
