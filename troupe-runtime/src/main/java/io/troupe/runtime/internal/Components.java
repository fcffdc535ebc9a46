package io.troupe.runtime.internal;

import io.troupe.api.ConfigurationException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.runtime.mechanism.Auction;
import io.troupe.runtime.mechanism.Blackboard;
import io.troupe.runtime.mechanism.ContractNet;
import io.troupe.runtime.mechanism.Debate;
import io.troupe.runtime.mechanism.GroupChat;
import io.troupe.runtime.mechanism.Handoff;
import io.troupe.runtime.mechanism.ManagerWorkers;
import io.troupe.runtime.mechanism.Parallel;
import io.troupe.runtime.mechanism.Sequential;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * What a runtime node offers conversations: its models, tools and mechanisms by name, its clock and its limits.
 * Specs refer to these by name, so that a journaled spec can run on any node that has them. Immutable and
 * thread-safe; passed explicitly, never global.
 *
 * @param maxRepairs refused tool calls or answers in a row that a turn survives before it fails
 * @param repetitionLimit how many identical prompts from one agent end the run as looping
 */
public record Components(
        Map<String, LanguageModel> models,
        Map<String, Tool> tools,
        Map<String, Function<MechanismSpec.Custom, Collaboration>> mechanisms,
        Clock clock,
        ExecutorService toolExecutor,
        ToolGate gate,
        int maxRepairs,
        int repetitionLimit) {

    public Components {
        models = Map.copyOf(models);
        tools = Map.copyOf(tools);
        mechanisms = Map.copyOf(mechanisms);
    }

    /**
     * The components of a node, after checking that every tool's argument schema is a valid JSON schema.
     *
     * @throws ConfigurationException listing every invalid schema
     */
    public static Components create(
            Map<String, LanguageModel> models,
            Map<String, Tool> tools,
            Map<String, Function<MechanismSpec.Custom, Collaboration>> mechanisms,
            Clock clock,
            ExecutorService toolExecutor,
            int maxRepairs,
            int repetitionLimit) {
        ToolGate gate = new ToolGate();
        List<String> problems = new ArrayList<>();
        for (Tool tool : tools.values()) {
            String problem = gate.schemaProblem(tool.definition().parametersSchema());
            if (problem != null) {
                problems.add("tool '" + tool.name() + "' has an invalid JSON schema for its arguments: " + problem);
            }
        }
        ConfigurationException.throwIfAny("Cannot start Troupe", problems);
        return new Components(models, tools, mechanisms, clock, toolExecutor, gate, maxRepairs, repetitionLimit);
    }

    /**
     * Checks that this node can run {@code team}: every model, tool and mechanism it names is registered.
     *
     * @throws ConfigurationException listing every missing piece and what is available
     */
    public void requireRunnable(TeamSpec team) {
        List<String> problems = new ArrayList<>();
        for (AgentSpec agent : team.members()) {
            if (agent.team() != null) {
                try {
                    requireRunnable(agent.team());
                } catch (ConfigurationException e) {
                    e.problems().forEach(p -> problems.add("in team '" + agent.id() + "': " + p));
                }
                continue;
            }
            if (!models.containsKey(agent.model())) {
                problems.add("agent '" + agent.id() + "' uses model '" + agent.model() + "', which is not registered;"
                        + " registered models: " + new TreeSet<>(models.keySet())
                        + ". Register it with TroupeRuntime.builder().model(\"" + agent.model() + "\", model)");
            }
            for (String tool : agent.tools()) {
                if (!tools.containsKey(tool)) {
                    problems.add("agent '" + agent.id() + "' uses tool '" + tool + "', which is not registered;"
                            + " registered tools: " + new TreeSet<>(tools.keySet())
                            + ". Register it with TroupeRuntime.builder().tool(tool)");
                }
                if (tool.equals(Delegation.TOOL_NAME) || tool.equals(Handoffs.TOOL_NAME)) {
                    problems.add("agent '" + agent.id() + "' lists a tool named '" + tool
                            + "', a name reserved for " + (tool.equals(Handoffs.TOOL_NAME) ? "handoffs" : "delegation")
                            + "; rename the tool");
                }
            }
        }
        if (team.mechanism() instanceof MechanismSpec.Custom custom && !mechanisms.containsKey(custom.name())) {
            problems.add("the team uses mechanism '" + custom.name() + "', which is not registered; registered"
                    + " mechanisms: " + new TreeSet<>(mechanisms.keySet())
                    + ". Register it with TroupeRuntime.builder().mechanism(\"" + custom.name() + "\", factory)");
        }
        ConfigurationException.throwIfAny("Team '" + team.name() + "' cannot run on this runtime", problems);
    }

    /** The mechanism for {@code spec}. */
    Collaboration collaboration(MechanismSpec spec) {
        return switch (spec) {
            case MechanismSpec.Sequential sequential -> new Sequential(sequential);
            case MechanismSpec.ManagerWorkers managerWorkers -> new ManagerWorkers(managerWorkers);
            case MechanismSpec.Parallel parallel -> new Parallel(parallel);
            case MechanismSpec.GroupChat groupChat -> new GroupChat(groupChat);
            case MechanismSpec.Handoff handoff -> new Handoff(handoff);
            case MechanismSpec.ContractNet contractNet -> new ContractNet(contractNet);
            case MechanismSpec.Auction auction -> new Auction(auction);
            case MechanismSpec.Debate debate -> new Debate(debate);
            case MechanismSpec.Blackboard blackboard -> new Blackboard(blackboard);
            case MechanismSpec.Custom custom -> {
                var factory = mechanisms.get(custom.name());
                if (factory == null) {
                    throw new ConfigurationException(
                            "mechanism '" + custom.name() + "' is not registered on this node");
                }
                yield factory.apply(custom);
            }
        };
    }

    /**
     * The tools shown to {@code agent}'s model: its own, then {@code delegate} if it may delegate and
     * {@code handoff} if it may hand off.
     */
    List<ToolDefinition> toolDefinitions(AgentSpec agent, List<String> delegates, List<String> handoffs) {
        List<ToolDefinition> definitions = new ArrayList<>(agent.tools().size() + 2);
        for (String name : agent.tools()) {
            Tool tool = tools.get(name);
            if (tool != null) {
                definitions.add(tool.definition());
            }
        }
        if (!delegates.isEmpty()) {
            definitions.add(gate.delegation(delegates));
        }
        if (!handoffs.isEmpty()) {
            definitions.add(gate.handoff(handoffs));
        }
        return definitions;
    }
}
