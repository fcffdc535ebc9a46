package io.troupe.api.model;

import io.troupe.api.Checks;

/**
 * A model's request to call a tool.
 *
 * @param id the model's id for this call, echoed in the {@link ChatMessage.ToolOutput}
 * @param name the tool's name
 * @param arguments the arguments exactly as the model wrote them; normally a JSON object, but unchecked here:
 *     the runtime validates them against the tool's schema and never coerces them
 */
public record ToolCall(String id, String name, String arguments) {
    public ToolCall {
        Checks.notBlank(id, "ToolCall id");
        Checks.notBlank(name, "ToolCall name");
        Checks.notNull(arguments, "ToolCall arguments");
    }
}
