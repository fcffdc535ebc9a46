package io.troupe.api.model;

import io.troupe.api.Checks;
import io.troupe.api.tool.ToolDefinition;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What an agent sends to its model at the decide step.
 *
 * @param messages the prompt, oldest first; the first entry is usually {@link ChatMessage.System}
 * @param tools the tools the model may call; empty for none
 * @param responseSchema a JSON schema the final answer must follow (structured output), or null for free text
 * @param maxOutputTokens the most tokens the answer may have (the provider's {@code max_tokens}), or null for the
 *     model's own limit; the runtime sets it to what the run's token budget leaves
 * @param turn the team turn the call belongs to, as messages, or null for a call outside a team turn; models that
 *     stand for a remote agent read it, others ignore it
 */
public record ModelRequest(
        List<ChatMessage> messages,
        List<ToolDefinition> tools,
        @Nullable String responseSchema,
        @Nullable Integer maxOutputTokens,
        @Nullable TurnContext turn) {
    public ModelRequest {
        messages = Checks.list(messages, "ModelRequest messages");
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("ModelRequest messages must not be empty");
        }
        tools = Checks.list(tools, "ModelRequest tools");
        if (responseSchema != null) {
            Checks.notBlank(responseSchema, "ModelRequest responseSchema");
        }
        if (maxOutputTokens != null && maxOutputTokens < 1) {
            throw new IllegalArgumentException(
                    "ModelRequest maxOutputTokens must be at least 1, got " + maxOutputTokens);
        }
    }

    /** A request outside a team turn. */
    public ModelRequest(
            List<ChatMessage> messages,
            List<ToolDefinition> tools,
            @Nullable String responseSchema,
            @Nullable Integer maxOutputTokens) {
        this(messages, tools, responseSchema, maxOutputTokens, null);
    }

    /** A request without an output limit of its own, outside a team turn. */
    public ModelRequest(List<ChatMessage> messages, List<ToolDefinition> tools, @Nullable String responseSchema) {
        this(messages, tools, responseSchema, null, null);
    }

    /** This request with an output limit. */
    public ModelRequest withMaxOutputTokens(@Nullable Integer maxOutputTokens) {
        return new ModelRequest(messages, tools, responseSchema, maxOutputTokens, turn);
    }

    /** This request as part of {@code turn}. */
    public ModelRequest withTurn(@Nullable TurnContext turn) {
        return new ModelRequest(messages, tools, responseSchema, maxOutputTokens, turn);
    }

    /**
     * This request with other prompt messages (an interceptor's rewrite), keeping its tools, schema, limit and turn.
     */
    public ModelRequest withMessages(List<ChatMessage> messages) {
        return new ModelRequest(messages, tools, responseSchema, maxOutputTokens, turn);
    }

    /**
     * A provider-independent estimate of the prompt's size in tokens: {@link Usage#estimateTokens} of its text, the
     * tool definitions and response schema, plus a few tokens of framing per entry. It errs on the high side for
     * English and code, so that a budget check refuses a call that cannot fit rather than overshooting.
     */
    public long estimatedTokens() {
        long characters = promptCharacters();
        for (ToolDefinition tool : tools) {
            characters += tool.name().length()
                    + tool.description().length()
                    + tool.parametersSchema().length();
        }
        if (responseSchema != null) {
            characters += responseSchema.length();
        }
        return Usage.estimateTokens(characters) + 4L * messages.size() + 3;
    }

    /** A request with a plain prompt, no tools and free-text output. */
    public static ModelRequest of(List<ChatMessage> messages) {
        return new ModelRequest(messages, List.of(), null);
    }

    /** The text of the last {@link ChatMessage.User} entry, or "" if there is none. */
    public String lastUserText() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ChatMessage.User user) {
                return user.text();
            }
        }
        return "";
    }

    /** The text of the {@link ChatMessage.System} entries, joined by newlines. */
    public String systemText() {
        StringBuilder text = new StringBuilder();
        for (ChatMessage message : messages) {
            if (message instanceof ChatMessage.System system) {
                if (!text.isEmpty()) {
                    text.append('\n');
                }
                text.append(system.text());
            }
        }
        return text.toString();
    }

    /** The number of characters across all prompt entries: a provider-independent measure of prompt size. */
    public long promptCharacters() {
        long count = 0;
        for (ChatMessage message : messages) {
            count += message.text().length();
            if (message instanceof ChatMessage.Assistant assistant) {
                for (ToolCall call : assistant.toolCalls()) {
                    count += call.name().length() + call.arguments().length();
                }
            }
        }
        return count;
    }
}
