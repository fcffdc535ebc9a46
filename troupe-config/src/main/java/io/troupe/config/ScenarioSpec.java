package io.troupe.config;

import io.troupe.api.Checks;
import io.troupe.api.budget.Budget;
import io.troupe.api.team.Member;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.ToolTraits;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A spec file, read: the models to connect to, the team to run and the task to give it.
 *
 * @param name the spec's name, also the team's name
 * @param models the models by the name agents use for them, in file order
 * @param team the team, with its mechanism and run budget
 * @param task the task, or null when the file leaves it to the caller (for example {@code troupe run --task})
 * @param tools the built-in tools switched on, by the name agents use, in file order
 * @param toolTraits the traits the spec declares for tools (built-in or from plugins), by tool name: sinks, data
 *     scopes, sensitivity; path roots as written, relative to the spec file
 * @param guardrails the {@code guardrails:} section, or {@link GuardrailsConfig#DEFAULT} without one
 * @param mcpServers the MCP servers whose tools agents may use, by name, in file order
 * @param runtime the settings of the runtime that runs the spec ({@code runtime:}), {@link RuntimeSettings#DEFAULTS}
 *     when the file has none
 */
public record ScenarioSpec(
        String name,
        Map<String, ModelConfig> models,
        TeamSpec team,
        @Nullable String task,
        Map<String, ToolConfig> tools,
        Map<String, ToolTraits> toolTraits,
        GuardrailsConfig guardrails,
        Map<String, McpServerConfig> mcpServers,
        RuntimeSettings runtime) {

    public ScenarioSpec {
        Checks.notBlank(name, "Spec name");
        models = Collections.unmodifiableMap(new LinkedHashMap<>(Checks.notNull(models, "Spec models")));
        Checks.notNull(team, "Spec team");
        tools = Collections.unmodifiableMap(new LinkedHashMap<>(Checks.notNull(tools, "Spec tools")));
        toolTraits = Collections.unmodifiableMap(new LinkedHashMap<>(Checks.notNull(toolTraits, "Spec toolTraits")));
        Checks.notNull(guardrails, "Spec guardrails");
        mcpServers = Collections.unmodifiableMap(new LinkedHashMap<>(Checks.notNull(mcpServers, "Spec MCP servers")));
        Checks.notNull(runtime, "Spec runtime settings");
    }

    /** A spec with the runtime's default settings. */
    public ScenarioSpec(
            String name,
            Map<String, ModelConfig> models,
            TeamSpec team,
            @Nullable String task,
            Map<String, ToolConfig> tools,
            Map<String, ToolTraits> toolTraits,
            GuardrailsConfig guardrails,
            Map<String, McpServerConfig> mcpServers) {
        this(name, models, team, task, tools, toolTraits, guardrails, mcpServers, RuntimeSettings.DEFAULTS);
    }

    /** A spec without MCP servers, with the runtime's default settings. */
    public ScenarioSpec(
            String name,
            Map<String, ModelConfig> models,
            TeamSpec team,
            @Nullable String task,
            Map<String, ToolConfig> tools,
            Map<String, ToolTraits> toolTraits,
            GuardrailsConfig guardrails) {
        this(name, models, team, task, tools, toolTraits, guardrails, Map.of(), RuntimeSettings.DEFAULTS);
    }

    /** A spec with built-in tools, the default guardrails and the runtime's default settings. */
    public ScenarioSpec(
            String name,
            Map<String, ModelConfig> models,
            TeamSpec team,
            @Nullable String task,
            Map<String, ToolConfig> tools) {
        this(name, models, team, task, tools, Map.of(), GuardrailsConfig.DEFAULT, Map.of(), RuntimeSettings.DEFAULTS);
    }

    /** A spec without built-in tools. */
    public ScenarioSpec(String name, Map<String, ModelConfig> models, TeamSpec team, @Nullable String task) {
        this(name, models, team, task, Map.of());
    }

    /** This spec with {@code models} instead of its own. */
    public ScenarioSpec withModels(Map<String, ModelConfig> models) {
        return new ScenarioSpec(name, models, team, task, tools, toolTraits, guardrails, mcpServers, runtime);
    }

    /** The budget for a whole run; the same as {@code team().budget()}. */
    public Budget budget() {
        return team.budget();
    }

    /**
     * The names of the models that agents use, including the agents of members that are teams, and their
     * fallbacks, in order of first use: the models a runner must build.
     */
    public List<String> usedModels() {
        Set<String> names = new LinkedHashSet<>();
        collectModels(team, names);
        if (guardrails.enabled() && guardrails.judge() instanceof GuardrailsConfig.Judge judge) {
            names.add(judge.model());
        }
        List<String> pending = new java.util.ArrayList<>(names);
        while (!pending.isEmpty()) {
            ModelConfig config = models.get(pending.removeFirst());
            if (config != null) {
                for (String fallback : config.options().fallback()) {
                    if (names.add(fallback)) {
                        pending.add(fallback);
                    }
                }
            }
        }
        return List.copyOf(names);
    }

    private static void collectModels(TeamSpec team, Set<String> names) {
        for (Member member : team.members()) {
            switch (member) {
                case Member.Agent agent -> names.add(agent.spec().model());
                case Member.Subteam subteam -> collectModels(subteam.team(), names);
            }
        }
    }

    /**
     * This spec with every relative {@code adapter:} path resolved against {@code directory}, the folder of the spec
     * file, so that the spec runs the same from any working directory. {@link SpecLoader#load} does this already.
     */
    public ScenarioSpec withAdaptersRelativeTo(Path directory) {
        Map<String, ModelConfig> resolved = new LinkedHashMap<>();
        models.forEach((key, config) -> resolved.put(
                key,
                config.adapter() == null
                        ? config
                        : config.withAdapter(directory
                                .toAbsolutePath()
                                .resolve(config.adapter())
                                .normalize()
                                .toString())));
        return withModels(resolved); // keeps the tools' traits, the guardrails and the MCP servers
    }

    /** The task, if the file gives one. */
    public Optional<String> taskText() {
        return Optional.ofNullable(task);
    }
}
