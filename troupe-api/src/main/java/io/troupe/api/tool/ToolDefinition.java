package io.troupe.api.tool;

import io.troupe.api.Checks;

/**
 * What a model is told about a tool.
 *
 * @param name unique among an agent's tools; matches {@link Checks#NAME}
 * @param description when to use the tool, for the model
 * @param parametersSchema a JSON schema (an object schema) for the arguments; the runtime validates every call
 *     against it before the tool runs
 */
public record ToolDefinition(String name, String description, String parametersSchema) {
    /** The schema of a tool that takes no arguments. */
    public static final String NO_PARAMETERS = "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}";

    public ToolDefinition {
        Checks.name(name, "Tool name");
        Checks.notBlank(description, "Tool description of '" + name + "'");
        Checks.notBlank(parametersSchema, "Tool parametersSchema of '" + name + "'");
    }
}
