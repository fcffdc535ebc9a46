package io.troupe.launch;

import io.troupe.api.ConfigurationException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.team.Member;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.Sink;
import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolTraits;
import io.troupe.config.ScenarioSpec;
import io.troupe.config.ToolConfig;
import io.troupe.interop.mcp.McpToolSource;
import io.troupe.tools.BuiltInTools;
import io.troupe.tools.CalculatorTool;
import io.troupe.tools.ClockTool;
import io.troupe.tools.FilesTool;
import io.troupe.tools.HttpGetTool;
import io.troupe.tools.PluginTools;
import io.troupe.tools.SqlTool;
import io.troupe.tools.ToolSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The tools of a run, from every {@link ToolSource}: the built-in tools the spec switches on, the tools of the plugin
 * jars in {@code --plugins}, and the tools of the spec's MCP servers. Closing releases the plugin jars this object
 * loaded and stops the MCP servers.
 */
public final class SpecTools implements AutoCloseable {
    private final List<Tool> tools;
    private final @Nullable PluginTools ownedPlugins;
    private final @Nullable McpToolSource mcp;

    private SpecTools(List<Tool> tools, @Nullable PluginTools ownedPlugins, @Nullable McpToolSource mcp) {
        this.tools = tools;
        this.ownedPlugins = ownedPlugins;
        this.mcp = mcp;
    }

    /**
     * Builds the tools of {@code spec}, read from {@code specFile}, and loads the plugin jars.
     *
     * @param specFile relative workspaces are resolved against its folder
     * @param pluginFolder the {@code --plugins} folder, or null
     * @throws ConfigurationException if a tool cannot be built, two share a name, or an agent names a tool that no
     *     source provides
     */
    public static SpecTools build(ScenarioSpec spec, Path specFile, @Nullable Path pluginFolder) {
        PluginTools plugins = pluginFolder == null ? null : PluginTools.load(pluginFolder);
        try {
            return build(
                    spec,
                    specFile.toString(),
                    specFile.toAbsolutePath().getParent(),
                    plugins,
                    pluginFolder == null ? "pass --plugins DIR" : "no jar in " + pluginFolder + " declares it",
                    plugins);
        } catch (RuntimeException e) {
            if (plugins != null) {
                plugins.close();
            }
            throw e;
        }
    }

    /**
     * Builds the tools of {@code spec} with plugin jars that the caller loaded once and shares between specs (and
     * closes itself). The spec's MCP servers are started, and stopped when this object is closed.
     *
     * @param origin names the spec in messages: its file, or how it came
     * @param base the folder that relative workspaces are resolved against
     * @param plugins the plugin jars, or null for none
     * @param pluginHint what to do when an agent names a tool that no source provides
     * @throws ConfigurationException as {@link #build(ScenarioSpec, Path, Path)}
     */
    public static SpecTools build(
            ScenarioSpec spec, String origin, Path base, @Nullable PluginTools plugins, String pluginHint) {
        return build(spec, origin, base, plugins, pluginHint, null);
    }

    private static SpecTools build(
            ScenarioSpec spec,
            String origin,
            Path base,
            @Nullable PluginTools plugins,
            String pluginHint,
            @Nullable PluginTools owned) {
        ClassLoader drivers = plugins != null ? plugins.classLoader() : SpecTools.class.getClassLoader();
        List<Tool> builtIn = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (ToolConfig config : spec.tools().values()) {
            try {
                builtIn.add(create(config, base, drivers));
            } catch (IllegalArgumentException e) {
                problems.add("tool '" + config.name() + "': " + e.getMessage());
            }
        }
        ConfigurationException.throwIfAny("Cannot build the tools of " + origin, problems);
        List<ToolSource> sources = new ArrayList<>();
        sources.add(new BuiltInTools("the built-in tools of " + origin, builtIn));
        if (plugins != null) {
            sources.add(plugins);
        }
        McpToolSource mcp = spec.mcpServers().isEmpty() ? null : McpToolSource.start(SpecMcp.settings(spec, base));
        try {
            if (mcp != null) {
                sources.add(mcp);
            }
            List<Tool> tools = new ArrayList<>();
            for (Tool tool : ToolSource.collect(sources)) {
                ToolTraits declared = spec.toolTraits().get(tool.name());
                tools.add(declared == null ? tool : Tool.withTraits(tool, resolved(declared, base)));
            }
            checkUsed(spec, tools, pluginHint, mcp);
            for (String name : spec.toolTraits().keySet()) {
                if (tools.stream().noneMatch(t -> t.name().equals(name))) {
                    problems.add("'tools:' declares traits of '" + name + "', which no source provides; tools"
                            + " available: "
                            + tools.stream().map(Tool::name).sorted().toList());
                }
            }
            ConfigurationException.throwIfAny("Cannot build the tools of " + origin, problems);
            return new SpecTools(tools, owned, mcp);
        } catch (RuntimeException e) {
            if (mcp != null) {
                mcp.close();
            }
            throw e;
        }
    }

    /** {@code traits} with relative path roots resolved against the spec's folder. */
    private static ToolTraits resolved(ToolTraits traits, Path base) {
        ToolTraits resolved = new ToolTraits(java.util.Map.of(), traits.data(), traits.sensitive());
        for (java.util.Map.Entry<String, Sink> sink : traits.sinks().entrySet()) {
            Sink value = sink.getValue() instanceof Sink.FilePath path && path.root() != null
                    ? Sink.path(base.resolve(path.root()).normalize().toString())
                    : sink.getValue();
            resolved = resolved.withSink(sink.getKey(), value);
        }
        return resolved;
    }

    /** Every tool an agent names must be provided by a source; the message lists what is there. */
    private static void checkUsed(ScenarioSpec spec, List<Tool> tools, String pluginHint, @Nullable McpToolSource mcp) {
        Set<String> available = new TreeSet<>();
        tools.forEach(tool -> available.add(tool.name()));
        available.add("delegate"); // the runtime's own tools for mechanisms
        available.add("handoff");
        List<String> problems = new ArrayList<>();
        for (AgentSpec agent : agents(spec.team())) {
            for (String tool : agent.tools()) {
                String unusable = mcp == null ? null : mcp.unusable().get(tool);
                if (unusable != null) {
                    problems.add("agent '" + agent.id() + "' uses tool '" + tool + "', but " + unusable
                            + "; ask its authors to fix the schema, or leave the tool out");
                } else if (!available.contains(tool)) {
                    problems.add("agent '" + agent.id() + "' uses tool '" + tool + "', which no source provides."
                            + " Built-in tools are switched on under 'tools:' ("
                            + String.join(", ", BuiltInTools.KINDS) + "); other tools come from plugin jars: "
                            + pluginHint
                            + ". Tools available: " + (available.isEmpty() ? "none" : String.join(", ", available)));
                }
            }
        }
        ConfigurationException.throwIfAny("Missing tools", problems);
    }

    private static Tool create(ToolConfig config, Path base, ClassLoader drivers) {
        return switch (config) {
            case ToolConfig.Clock clock ->
                new ClockTool(
                        clock.name(), Clock.systemUTC(), clock.zone() == null ? ZoneId.of("UTC") : zone(clock.zone()));
            case ToolConfig.Calculator calculator -> new CalculatorTool(calculator.name());
            case ToolConfig.HttpGet http ->
                new HttpGetTool(
                        http.name(),
                        new HttpGetTool.Settings(
                                http.allow(),
                                http.maxBytes() == null ? HttpGetTool.Settings.DEFAULT_MAX_BYTES : http.maxBytes(),
                                http.timeout() == null ? HttpGetTool.Settings.DEFAULT_TIMEOUT : http.timeout()));
            case ToolConfig.Files files ->
                new FilesTool(
                        files.name(),
                        new FilesTool.Settings(
                                base.resolve(files.workspace()).normalize(),
                                files.write(),
                                files.maxBytes() == null ? FilesTool.Settings.DEFAULT_MAX_BYTES : files.maxBytes()));
            case ToolConfig.Sql sql ->
                new SqlTool(
                        sql.name(),
                        new SqlTool.Settings(
                                sql.url(),
                                sql.readOnly(),
                                sql.maxRows() == null ? SqlTool.Settings.DEFAULT_MAX_ROWS : sql.maxRows(),
                                sql.timeout() == null ? SqlTool.Settings.DEFAULT_TIMEOUT : sql.timeout()),
                        drivers);
        };
    }

    private static ZoneId zone(String zone) {
        try {
            return ZoneId.of(zone);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException(
                    "unknown time zone '" + zone + "'; use an IANA name such as Europe/Oslo");
        }
    }

    /** The tools, each once. */
    public List<Tool> tools() {
        return tools;
    }

    /** Stops the spec's MCP servers and releases the plugin jars this object loaded itself. */
    @Override
    public void close() {
        try {
            if (mcp != null) {
                mcp.close();
            }
        } finally {
            if (ownedPlugins != null) {
                ownedPlugins.close();
            }
        }
    }

    /** The agents of {@code team}, with those of its members that are teams. */
    private static List<AgentSpec> agents(TeamSpec team) {
        List<AgentSpec> agents = new ArrayList<>();
        for (Member member : team.members()) {
            switch (member) {
                case Member.Agent agent -> agents.add(agent.spec());
                case Member.Subteam subteam -> agents.addAll(agents(subteam.team()));
            }
        }
        return agents;
    }
}
