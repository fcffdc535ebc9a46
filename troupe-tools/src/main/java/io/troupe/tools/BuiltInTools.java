package io.troupe.tools;

import io.troupe.api.tool.Tool;
import java.util.List;

/**
 * The built-in tools a spec switches on, as a {@link ToolSource}.
 *
 * @param describe what they are, for messages, e.g. "the built-in tools of shop.yaml"
 * @param tools the tools
 */
public record BuiltInTools(String describe, List<Tool> tools) implements ToolSource {
    /** The names of the built-in tool kinds. */
    public static final List<String> KINDS = List.of("clock", "calculator", "http-get", "files", "sql");

    public BuiltInTools {
        tools = List.copyOf(tools);
    }
}
