package io.troupe.runtime.internal.registry;

import io.troupe.api.ConfigurationException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.intercept.Interceptor;
import io.troupe.api.intercept.Point;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.Member;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.Tool;
import io.troupe.runtime.Catalog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What a runtime node offers conversations: its models, tools, mechanisms and interceptors by name, its clock, the
 * executor for blocking work (tools and interceptors, on virtual threads) and its limits. Specs refer to these by
 * name, so that a journaled spec can run on any node that has them. Immutable and thread-safe.
 *
 * @param everyRun interceptors that apply to every agent of every run, in order
 * @param named interceptors that apply to the teams and agents that list them by name
 * @param reservedTools tool names the runtime offers itself, with what for (delegation, handoffs); registered
 *     tools must not use them
 * @param catalog where models and tools that are not registered are looked up
 */
public record Registry(
        Map<String, LanguageModel> models,
        Map<String, Tool> tools,
        Map<String, Function<MechanismSpec.Custom, Collaboration>> mechanisms,
        List<NamedInterceptor> everyRun,
        Map<String, Interceptor> named,
        Clock clock,
        ExecutorService executor,
        Schemas schemas,
        Limits limits,
        Map<String, String> reservedTools,
        Catalog catalog) {

    public Registry {
        models = Map.copyOf(models);
        tools = Map.copyOf(tools);
        mechanisms = Map.copyOf(mechanisms);
        everyRun = List.copyOf(everyRun);
        named = Map.copyOf(named);
        reservedTools = Map.copyOf(reservedTools);
    }

    /** A registry without a catalog. */
    public Registry(
            Map<String, LanguageModel> models,
            Map<String, Tool> tools,
            Map<String, Function<MechanismSpec.Custom, Collaboration>> mechanisms,
            List<NamedInterceptor> everyRun,
            Map<String, Interceptor> named,
            Clock clock,
            ExecutorService executor,
            Schemas schemas,
            Limits limits,
            Map<String, String> reservedTools) {
        this(
                models,
                tools,
                mechanisms,
                everyRun,
                named,
                clock,
                executor,
                schemas,
                limits,
                reservedTools,
                Catalog.empty());
    }

    /** The model named {@code name}: the registered one, or else the catalog's; null if neither has it. */
    public @Nullable LanguageModel model(String name) {
        LanguageModel model = models.get(name);
        return model != null ? model : catalog.model(name).orElse(null);
    }

    /** The tool named {@code name}: the registered one, or else the catalog's; null if neither has it. */
    public @Nullable Tool tool(String name) {
        Tool tool = tools.get(name);
        return tool != null ? tool : catalog.tool(name).orElse(null);
    }

    /**
     * The runtime's limits on a turn.
     *
     * @param maxRepairs refused tool calls or answers in a row that a turn survives before it fails
     * @param repetitionLimit how many identical prompts from one agent end the run as looping
     * @param maxOutputTokens the most output tokens a model call may ask for while the budget has more to give: the
     *     share of the budget a call reserves until it completes
     */
    public record Limits(int maxRepairs, int repetitionLimit, int maxOutputTokens) {}

    /** Whether any interceptor is registered, so that interception points need a look at all. */
    public boolean intercepts() {
        return !everyRun.isEmpty() || !named.isEmpty();
    }

    /**
     * The interceptors that apply at {@code point} to {@code agent} (or, when null, to the run as a whole) of
     * {@code team}, in order: those for every run, then the team's, then the agent's, each once.
     */
    public List<NamedInterceptor> chain(Point point, TeamSpec team, @Nullable AgentSpec agent) {
        if (!intercepts()) {
            return List.of();
        }
        Map<String, NamedInterceptor> chain = new LinkedHashMap<>();
        for (NamedInterceptor interceptor : everyRun) {
            if (interceptor.interceptor().points().contains(point)) {
                chain.putIfAbsent(interceptor.name(), interceptor);
            }
        }
        addNamed(chain, team.interceptors(), point);
        if (agent != null) {
            addNamed(chain, agent.interceptors(), point);
        }
        return List.copyOf(chain.values());
    }

    private void addNamed(Map<String, NamedInterceptor> chain, List<String> names, Point point) {
        for (String name : names) {
            Interceptor interceptor = named.get(name);
            if (interceptor != null && interceptor.points().contains(point)) {
                chain.putIfAbsent(name, new NamedInterceptor(name, interceptor));
            }
        }
    }

    /**
     * What {@code team} needs that this node lacks: models, tools, mechanisms and interceptors it names that are
     * not registered, each with how to register it. Empty when the team can run here.
     */
    public List<String> missing(TeamSpec team) {
        List<String> problems = new ArrayList<>();
        for (String name : team.interceptors()) {
            if (!named.containsKey(name)) {
                problems.add("team '" + team.name() + "' uses interceptor '" + name + "', which is not registered;"
                        + " registered interceptors: " + new TreeSet<>(named.keySet())
                        + ". Register it with TroupeRuntime.builder().interceptor(\"" + name + "\", interceptor)");
            }
        }
        for (Member member : team.members()) {
            switch (member) {
                case Member.Subteam subteam -> {
                    for (String problem : missing(subteam.team())) {
                        problems.add("in team '" + subteam.id() + "': " + problem);
                    }
                }
                case Member.Agent agent -> problems.addAll(missing(agent.spec()));
            }
        }
        if (team.mechanism() instanceof MechanismSpec.Custom custom && !mechanisms.containsKey(custom.name())) {
            problems.add("the team uses mechanism '" + custom.name() + "', which is not registered; registered"
                    + " mechanisms: " + new TreeSet<>(mechanisms.keySet())
                    + ". Register it with TroupeRuntime.builder().mechanism(\"" + custom.name() + "\", factory)");
        }
        return problems;
    }

    private List<String> missing(AgentSpec agent) {
        List<String> problems = new ArrayList<>();
        if (model(agent.model()) == null) {
            problems.add("agent '" + agent.id() + "' uses model '" + agent.model() + "', which is not registered;"
                    + " registered models: " + new TreeSet<>(models.keySet())
                    + ". Register it with TroupeRuntime.builder().model(\"" + agent.model() + "\", model)");
        }
        for (String tool : agent.tools()) {
            if (tool(tool) == null) {
                problems.add("agent '" + agent.id() + "' uses tool '" + tool + "', which is not registered;"
                        + " registered tools: " + new TreeSet<>(tools.keySet())
                        + ". Register it with TroupeRuntime.builder().tool(tool)");
            }
            if (reservedTools.containsKey(tool)) {
                problems.add("agent '" + agent.id() + "' lists a tool named '" + tool + "', a name reserved for "
                        + reservedTools.get(tool) + "; rename the tool");
            }
        }
        for (String name : agent.interceptors()) {
            if (!named.containsKey(name)) {
                problems.add("agent '" + agent.id() + "' uses interceptor '" + name + "', which is not registered;"
                        + " registered interceptors: " + new TreeSet<>(named.keySet())
                        + ". Register it with TroupeRuntime.builder().interceptor(\"" + name + "\", interceptor)");
            }
        }
        return problems;
    }

    /**
     * Checks that this node can run {@code team}.
     *
     * @throws ConfigurationException listing every missing piece and what is available
     */
    public void requireRunnable(TeamSpec team) {
        ConfigurationException.throwIfAny("Team '" + team.name() + "' cannot run on this runtime", missing(team));
    }
}
