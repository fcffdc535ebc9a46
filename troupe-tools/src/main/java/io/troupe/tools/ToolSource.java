package io.troupe.tools;

import io.troupe.api.ConfigurationException;
import io.troupe.api.tool.Tool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A source of tools for a runtime: the built-in tools a spec switches on, the tools of plugin jars, and, through the
 * same seam, the tools of MCP servers. Every tool of every source passes the same schema and permission checks in
 * the runtime's tool gate; a source only says which tools exist.
 *
 * <p>Implementations describe themselves for messages and build their tools once; they must be thread-safe.
 */
public interface ToolSource {

    /** What this source is, for messages: {@code "built-in tools of spec.yaml"}, {@code "plugins in ./plugins"}. */
    String describe();

    /** The tools this source provides. */
    List<Tool> tools();

    /**
     * Every tool of {@code sources}, in order.
     *
     * @throws ConfigurationException if two tools share a name, naming both sources
     */
    static List<Tool> collect(List<? extends ToolSource> sources) {
        Map<String, ToolSource> owners = new LinkedHashMap<>();
        List<Tool> tools = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (ToolSource source : sources) {
            for (Tool tool : source.tools()) {
                ToolSource earlier = owners.putIfAbsent(tool.name(), source);
                if (earlier != null) {
                    problems.add("tool '" + tool.name() + "' is provided by both " + earlier.describe() + " and "
                            + source.describe() + "; rename one of them (a built-in tool can take another name with"
                            + " 'kind:')");
                } else {
                    tools.add(tool);
                }
            }
        }
        ConfigurationException.throwIfAny("Conflicting tools", problems);
        return List.copyOf(tools);
    }
}
