package io.troupe.config;

import io.troupe.api.ConfigurationException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.agent.MemoryPolicy;
import io.troupe.api.agent.Permissions;
import io.troupe.api.budget.Budget;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.Member;
import io.troupe.api.team.TeamSpec;
import io.troupe.config.YamlTree.Field;
import io.troupe.config.YamlTree.ListNode;
import io.troupe.config.YamlTree.MapNode;
import io.troupe.config.YamlTree.Node;
import io.troupe.config.YamlTree.Pos;
import io.troupe.config.YamlTree.Scalar;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a team: its {@code agents:}, its {@code team:} mechanism and its {@code budget:}, either at the top of a
 * spec or under a member that is itself a team. Each team has its own agent ids; models are shared by the whole
 * file. Not thread-safe.
 */
final class TeamReader {
    private static final List<String> AGENT = List.of(
            "id",
            "role",
            "model",
            "instructions",
            "tools",
            "memory",
            "permissions",
            "budget",
            "max-iterations",
            "capabilities",
            "guardrails",
            "team");
    /** The keys of a member that is a team; the other agent keys belong to the agents of its team. */
    private static final List<String> TEAM_MEMBER = List.of("id", "role", "capabilities", "team");

    private static final List<String> NESTED_TEAM = List.of("agents", "team", "budget");
    private static final List<String> BUDGET = List.of("tokens", "cost", "turns", "wall");

    /** Checks a model reference of an agent: that it is defined and that its API key is set. */
    interface Models {
        void check(Field modelField, String model, String where);
    }

    /** Checks a tool that an agent names, at the list item that names it. */
    interface Tools {
        void used(Node item, String tool, String where);
    }

    private final Checker check;
    private final Models models;
    private final Tools toolUse;
    private final GuardrailsReader guardrailsReader;
    private final boolean denyByDefault;
    /** The guardrails of agents that have their own, by agent id, across nested teams. */
    private final Map<String, GuardrailsConfig.Scope> guardrails = new java.util.LinkedHashMap<>();

    TeamReader(Checker check, Models models, Tools toolUse, GuardrailsReader guardrailsReader, boolean denyByDefault) {
        this.check = check;
        this.models = models;
        this.toolUse = toolUse;
        this.guardrailsReader = guardrailsReader;
        this.denyByDefault = denyByDefault;
    }

    /** The agents' own guardrails, by agent id. */
    Map<String, GuardrailsConfig.Scope> guardrails() {
        return guardrails;
    }

    /**
     * Reads the team whose {@code agents}, {@code team} and {@code budget} keys are in {@code scope}.
     *
     * @param name the team's name
     * @param where the scope for messages, e.g. "the spec"
     * @param budgetWhere the budget for messages, e.g. "budget"
     * @param defaults where the team budget's unset limits come from
     * @return the team, or null when a problem was reported
     */
    @Nullable
    TeamSpec read(MapNode scope, @Nullable String name, String where, String budgetWhere, Budget defaults) {
        int before = check.problemCount();
        Budget budget = budget(check.map(check.field(scope, "budget", where, false), where), budgetWhere, defaults);
        Field agentsField = check.field(scope, "agents", where, true);
        ListNode agentList = check.list(agentsField, where);
        List<Member> agents = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        Map<String, String> roles = new HashMap<>();
        Map<String, List<String>> capabilities = new HashMap<>();
        if (agentList != null && agentList.items().isEmpty()) {
            check.report(
                    agentList.pos(), "'agents' must list at least one agent", "e.g. '" + Hints.example("agents") + "'");
        } else if (agentList != null) {
            agents = agents(agentList, budget == null ? defaults : budget, ids, roles, capabilities);
        }
        Field teamField = check.field(scope, "team", where, false);
        MapNode teamNode = check.map(teamField, where);
        MechanismSpec mechanism =
                new MechanismReader(check, new MechanismReader.Roster(ids, roles, capabilities)).read(teamNode);
        if (check.problemCount() > before || name == null || mechanism == null || budget == null) {
            return null;
        }
        Pos at = teamNode == null ? scope.pos() : teamNode.pos();
        for (String problem : mechanism.problems(agents)) {
            check.report(at, problem, "fix the 'team' section");
        }
        if (check.problemCount() > before) {
            return null;
        }
        try {
            return new TeamSpec(name, agents, mechanism, budget);
        } catch (ConfigurationException | IllegalArgumentException e) {
            check.report(scope.pos(), e.getMessage(), "fix the team so that it satisfies this rule");
            return null;
        }
    }

    private List<Member> agents(
            ListNode list,
            Budget teamBudget,
            List<String> declaredIds,
            Map<String, String> roles,
            Map<String, List<String>> capabilities) {
        List<Member> agents = new ArrayList<>();
        Map<String, Pos> ids = new HashMap<>();
        for (Node item : list.items()) {
            if (!(item instanceof MapNode agent)) {
                check.report(
                        item.pos(),
                        "each item under 'agents' must be a mapping",
                        "e.g. '- { id: writer, model: tiny, instructions: \"Continue the story.\" }'");
                continue;
            }
            int before = check.problemCount();
            Field idField = check.field(agent, "id", "an agent", true);
            String id = check.name(idField, "an agent");
            String where = id == null ? "an agent" : "agent '" + id + "'";
            if (idField != null && id != null) {
                declaredIds.add(id);
                Pos earlier = ids.putIfAbsent(id, idField.value().pos());
                if (earlier != null) {
                    check.report(
                            idField.value().pos(),
                            "duplicate agent id '" + id + "' (first used at line " + earlier.line() + ")",
                            "give each agent a unique id");
                }
            }
            check.onlyKeys(agent, where, AGENT);
            String role = check.name(check.field(agent, "role", where, false), where);
            List<String> caps = names(
                    check.list(check.field(agent, "capabilities", where, false), where), "a capability of " + where);
            if (id != null) {
                roles.put(id, role == null ? id : role);
                capabilities.put(id, caps);
            }
            if (agent.fields().containsKey("team")) {
                Member member = teamMember(agent, id, role, caps, teamBudget, before);
                if (member != null) {
                    agents.add(member);
                }
                continue;
            }
            Field modelField = check.field(agent, "model", where, true);
            String model = check.string(modelField, where);
            if (modelField != null && model != null) {
                models.check(modelField, model, where);
            }
            String instructions = check.string(check.field(agent, "instructions", where, false), where);
            ListNode toolList = check.list(check.field(agent, "tools", where, false), where);
            List<String> tools = names(toolList, "a tool of " + where);
            if (toolList != null) {
                for (Node toolItem : toolList.items()) {
                    if (toolItem instanceof Scalar scalar && tools.contains(scalar.text())) {
                        toolUse.used(toolItem, scalar.text(), where);
                    }
                }
            }
            MapNode memory = check.map(check.field(agent, "memory", where, false), where);
            Long window = null;
            if (memory != null) {
                check.onlyKeys(memory, "the memory of " + where, List.of("window"));
                window = check.integer(
                        check.field(memory, "window", "the memory of " + where, true), "the memory of " + where, 0);
            }
            Permissions permissions =
                    permissions(check.map(check.field(agent, "permissions", where, false), where), where);
            Field guardField = check.field(agent, "guardrails", where, false);
            GuardrailsConfig.Scope own = guardrailsReader.agent(guardField, where);
            if (own != null && id != null) {
                if (guardrails.putIfAbsent(id, own) != null) {
                    check.report(
                            guardField.keyPos(),
                            "two agents with the id '" + id + "' have guardrails of their own",
                            "give agents with their own guardrails ids that are unique across the spec");
                }
            }
            MapNode budgetNode = check.map(check.field(agent, "budget", where, false), where);
            @Nullable
            Budget budget = budgetNode == null ? null : budget(budgetNode, "the budget of " + where, teamBudget);
            Long iterations = check.integer(check.field(agent, "max-iterations", where, false), where, 1);
            if (check.problemCount() > before || id == null || model == null) {
                continue;
            }
            try {
                AgentSpec.Builder builder = AgentSpec.builder(id)
                        .model(model)
                        .instructions(instructions == null ? "" : instructions)
                        .tools(tools.toArray(String[]::new))
                        .capabilities(caps.toArray(String[]::new))
                        .permissions(permissions)
                        .budget(budget);
                if (role != null) {
                    builder.role(role);
                }
                if (window != null) {
                    builder.memory(MemoryPolicy.window(window.intValue()));
                }
                if (iterations != null) {
                    builder.maxIterations(iterations.intValue());
                }
                agents.add(Member.of(builder.build()));
            } catch (ConfigurationException | IllegalArgumentException e) {
                check.report(agent.pos(), e.getMessage(), "fix " + where);
            }
        }
        return agents;
    }

    /**
     * A member that is a team: {@code { id, role, capabilities, team: { agents, team, budget } }}. Its team is
     * named after the member's id, and the unset limits of its budget come from the enclosing team's budget.
     */
    private Member.@Nullable Subteam teamMember(
            MapNode agent, @Nullable String id, @Nullable String role, List<String> caps, Budget outer, int before) {
        String where = id == null ? "a member" : "member '" + id + "'";
        for (Field field : agent.fields().values()) {
            if (AGENT.contains(field.key()) && !TEAM_MEMBER.contains(field.key())) {
                check.report(
                        field.keyPos(),
                        "'" + field.key() + "' does not apply to " + where + ", which is a team",
                        switch (field.key()) {
                            case "model" -> "a member has either 'model' or 'team': remove one";
                            case "budget" -> "put 'budget:' inside its 'team:' section";
                            default -> "give '" + field.key() + "' to the agents of its team, or remove it";
                        });
            }
        }
        Field teamField = agent.fields().get("team");
        MapNode scope = check.map(teamField, where);
        if (scope == null) {
            return null;
        }
        String inner = "the team of " + where;
        check.onlyKeys(scope, inner, NESTED_TEAM);
        TeamSpec team = read(scope, id, inner, "the budget of " + inner, outer);
        if (check.problemCount() > before || id == null || team == null) {
            return null;
        }
        try {
            return Member.team(id, role == null ? id : role, team).withCapabilities(caps);
        } catch (ConfigurationException | IllegalArgumentException e) {
            check.report(agent.pos(), e.getMessage(), "fix " + where);
            return null;
        }
    }

    private Permissions permissions(@Nullable MapNode map, String where) {
        // With capabilities denied by default, what the permissions leave out is not granted.
        Set<String> unset = denyByDefault ? Set.of() : Set.of(Permissions.ANY);
        if (map == null) {
            return new Permissions(unset, unset, unset);
        }
        String inner = "the permissions of " + where;
        check.onlyKeys(map, inner, List.of("tools", "delegates", "data"));
        ListNode tools = check.list(check.field(map, "tools", inner, false), inner);
        ListNode delegates = check.list(check.field(map, "delegates", inner, false), inner);
        ListNode data = check.list(check.field(map, "data", inner, false), inner);
        if (tools != null) {
            for (Node item : tools.items()) {
                if (item instanceof Scalar scalar && !scalar.text().equals(Permissions.ANY)) {
                    guardrailsReader.namedTool(item.pos(), scalar.text(), "a tool in " + inner);
                }
            }
        }
        return new Permissions(
                tools == null ? unset : Set.copyOf(names(tools, "a tool in " + inner, true)),
                delegates == null ? unset : Set.copyOf(names(delegates, "a delegate in " + inner, true)),
                data == null ? unset : Set.copyOf(names(data, "a data scope in " + inner, true)));
    }

    private List<String> names(@Nullable ListNode list, String what) {
        return names(list, what, false);
    }

    private List<String> names(@Nullable ListNode list, String what, boolean wildcard) {
        List<String> names = new ArrayList<>();
        if (list == null) {
            return names;
        }
        for (Node item : list.items()) {
            if (wildcard && item instanceof Scalar s && s.text().equals(Permissions.ANY)) {
                names.add(Permissions.ANY);
                continue;
            }
            String name = check.nameItem(item, what);
            if (name != null && names.contains(name)) {
                check.report(
                        item.pos(),
                        what.replaceFirst("^an? ", "") + " '" + name + "' is listed twice",
                        "remove the repeated entry");
            } else if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    /** A budget whose unset limits come from {@code defaults}; null if a limit was wrong. */
    @Nullable
    Budget budget(@Nullable MapNode map, String where, Budget defaults) {
        if (map == null) {
            return defaults;
        }
        check.onlyKeys(map, where, BUDGET);
        Field tokensField = check.field(map, "tokens", where, false);
        Long tokens = check.integer(tokensField, where, 1);
        BigDecimal cost = check.positiveDecimal(check.field(map, "cost", where, false), where);
        Field turnsField = check.field(map, "turns", where, false);
        Long turns = check.integer(turnsField, where, 1);
        Field wallField = check.field(map, "wall", where, false);
        Duration wall = check.duration(wallField, where);
        if ((tokensField != null && tokens == null)
                || (turnsField != null && turns == null)
                || (wallField != null && wall == null)
                || (map.fields().containsKey("cost") && cost == null)) {
            return null;
        }
        return new Budget(
                tokens == null ? defaults.maxTokens() : tokens,
                cost == null ? defaults.maxCost() : cost,
                turns == null ? defaults.maxTurns() : turns.intValue(),
                wall == null ? defaults.maxWallTime() : wall);
    }
}
