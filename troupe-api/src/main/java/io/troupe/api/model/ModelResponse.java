package io.troupe.api.model;

import io.troupe.api.internal.Checks;
import java.util.List;

/**
 * A model's answer: text, tool calls, or both, with what it cost.
 *
 * @param text the generated text; empty when the model only called tools
 * @param toolCalls the tools the model wants called, in order; empty for a final answer
 * @param usage tokens and cost of this call
 */
public record ModelResponse(String text, List<ToolCall> toolCalls, Usage usage) {
    public ModelResponse {
        Checks.notNull(text, "ModelResponse text");
        toolCalls = Checks.list(toolCalls, "ModelResponse toolCalls");
        Checks.notNull(usage, "ModelResponse usage");
    }

    /** A final text answer. */
    public static ModelResponse text(String text, Usage usage) {
        return new ModelResponse(text, List.of(), usage);
    }

    /** Whether the model asked for tool calls rather than giving a final answer. */
    public boolean hasToolCalls() {
        return !toolCalls.isEmpty();
    }
}
