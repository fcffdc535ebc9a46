package io.troupe.api.model;

import io.troupe.api.Checks;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A model's answer: text, tool calls, or both, with what it cost.
 *
 * @param text the generated text; empty when the model only called tools
 * @param toolCalls the tools the model wants called, in order; empty for a final answer
 * @param usage tokens and cost of this call
 * @param servedBy the name of the model that answered, when a resilience layer chose among several (a fallback
 *     chain), so that the journal records which one served; null otherwise
 */
public record ModelResponse(
        String text,
        List<ToolCall> toolCalls,
        Usage usage,
        @Nullable String servedBy) {
    public ModelResponse {
        Checks.notNull(text, "ModelResponse text");
        toolCalls = Checks.list(toolCalls, "ModelResponse toolCalls");
        Checks.notNull(usage, "ModelResponse usage");
    }

    /** A response from a single model. */
    public ModelResponse(String text, List<ToolCall> toolCalls, Usage usage) {
        this(text, toolCalls, usage, null);
    }

    /** This response, marked as served by the model called {@code name}. */
    public ModelResponse servedBy(String name) {
        return new ModelResponse(text, toolCalls, usage, Checks.notBlank(name, "servedBy"));
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
