package io.troupe.config;

import io.troupe.api.ConfigurationException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.agent.MemoryPolicy;
import io.troupe.api.agent.Permissions;
import io.troupe.api.run.Budget;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.TeamSpec;
import io.troupe.config.YamlTree.Field;
import io.troupe.config.YamlTree.ListNode;
import io.troupe.config.YamlTree.MapNode;
import io.troupe.config.YamlTree.Node;
import io.troupe.config.YamlTree.Pos;
import io.troupe.config.YamlTree.Scalar;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Maps a {@link YamlTree} onto the api records, checking everything on the way and reporting every problem at the
 * node that caused it. One reader reads one file; not thread-safe.
 */
final class SpecReader {
    static final int VERSION = 1;

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final List<String> TOP = List.of("troupe", "name", "models", "agents", "team", "budget", "task");
    private static final List<String> MODEL = List.of("provider", "model", "base-url", "api-key");
    private static final List<String> AGENT = List.of(
            "id", "role", "model", "instructions", "tools", "memory", "permissions", "budget", "max-iterations");
    private static final List<String> BUDGET = List.of("tokens", "cost", "turns", "wall");

    private final Checker check;
    private final Function<String, @Nullable String> env;
    /** Every agent id written in the file, including those of agents with mistakes, for reference checks. */
    private final List<String> declaredIds = new ArrayList<>();
    /** Every model name written in the file, including those with mistakes. */
    private final List<String> declaredModels = new ArrayList<>();

    /** A model as read, with where its API key is written so that an unset variable can be pointed at. */
    private record ModelEntry(ModelConfig config, @Nullable Pos apiKeyPos) {}

    SpecReader(Checker check, Function<String, @Nullable String> env) {
        this.check = check;
        this.env = env;
    }

    static boolean isVariableName(String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_]*");
    }

    /** Reads the spec; returns null when a problem was reported. */
    @Nullable
    ScenarioSpec read(Node root) {
        if (!(root instanceof MapNode top)) {
            check.report(root.pos(), "a spec must be a mapping of keys to values", "start the file with 'troupe: 1'");
            return null;
        }
        check.onlyKeys(top, "the spec", TOP);
        Long version = check.integer(check.field(top, "troupe", "the spec", true), "the spec", 0);
        if (version != null && version != VERSION) {
            check.report(
                    top.fields().get("troupe").value().pos(),
                    "unsupported spec version " + version,
                    "this Troupe reads 'troupe: " + VERSION + "'");
        }
        String name = check.string(check.field(top, "name", "the spec", true), "the spec");
        if (name != null && name.isBlank()) {
            check.report(
                    top.fields().get("name").value().pos(),
                    "'name' in the spec is blank",
                    "e.g. 'name: story-workshop'");
        }
        Map<String, ModelEntry> models = models(check.map(check.field(top, "models", "the spec", true), "the spec"));
        @Nullable
        Budget budget =
                budget(check.map(check.field(top, "budget", "the spec", false), "the spec"), "budget", Budget.DEFAULT);
        List<AgentSpec> agents = new ArrayList<>();
        Field agentsField = check.field(top, "agents", "the spec", true);
        ListNode agentList = check.list(agentsField, "the spec");
        if (agentList != null && agentList.items().isEmpty()) {
            check.report(
                    agentList.pos(),
                    "'agents' must list at least one agent",
                    "e.g. '" + Checker.example("agents") + "'");
        } else if (agentList != null) {
            agents = agents(agentList, models, budget == null ? Budget.DEFAULT : budget);
        }
        MechanismSpec mechanism = new MechanismReader(check)
                .read(
                        check.map(check.field(top, "team", "the spec", false), "the spec"),
                        List.copyOf(new LinkedHashSet<>(declaredIds)));
        String task = check.string(check.field(top, "task", "the spec", false), "the spec");
        int before = check.problemCount();
        if (before > 0 || name == null || mechanism == null || budget == null) {
            return null;
        }
        try {
            TeamSpec team = new TeamSpec(name, agents, mechanism, budget);
            Map<String, ModelConfig> configs = new LinkedHashMap<>();
            models.forEach((key, entry) -> configs.put(key, entry.config()));
            return new ScenarioSpec(name, configs, team, task);
        } catch (ConfigurationException | IllegalArgumentException e) {
            check.report(top.pos(), e.getMessage(), "fix the team so that it satisfies this rule");
            return null;
        }
    }

    private Map<String, ModelEntry> models(@Nullable MapNode map) {
        Map<String, ModelEntry> models = new LinkedHashMap<>();
        if (map == null) {
            return models;
        }
        for (Field field : map.fields().values()) {
            declaredModels.add(field.key());
            String where = "model '" + field.key() + "'";
            if (!io.troupe.api.internal.Checks.isName(field.key())) {
                check.report(
                        field.keyPos(),
                        "model name '" + field.key() + "' is not a valid name",
                        "start with a letter, then use letters, digits, '_' or '-'");
            }
            MapNode model = check.map(field, "models");
            if (model == null) {
                continue;
            }
            check.onlyKeys(model, where, MODEL);
            Field providerField = check.field(model, "provider", where, true);
            String providerId = check.string(providerField, where);
            ModelConfig.Provider provider = null;
            if (providerField != null && providerId != null) {
                provider = ModelConfig.Provider.byId(providerId).orElse(null);
                if (provider == null) {
                    check.report(
                            providerField.value().pos(),
                            "unknown provider '" + providerId + "' in " + where,
                            Checker.unknownNameHint(providerId, ModelConfig.Provider.ids(), "providers"));
                }
            }
            String modelName = check.string(check.field(model, "model", where, true), where);
            Field urlField = check.field(model, "base-url", where, false);
            String url = check.string(urlField, where);
            if (urlField != null && url != null && !isHttpUrl(url)) {
                check.report(
                        urlField.value().pos(),
                        "'base-url' in " + where + " is not an http or https URL",
                        "e.g. '" + Checker.example("base-url") + "'");
            }
            Field keyField = check.field(model, "api-key", where, false);
            String key = check.string(keyField, where);
            String variable = null;
            if (keyField != null && key != null) {
                Matcher matcher = VARIABLE.matcher(key.strip());
                if (matcher.matches()) {
                    variable = matcher.group(1);
                } else {
                    // never echo the value: it may be the secret itself
                    check.report(
                            keyField.value().pos(),
                            "'api-key' in " + where
                                    + " must be an environment variable reference like ${OPENAI_API_KEY}",
                            "keep secrets out of spec files: export the key and write 'api-key: ${NAME}'");
                }
            }
            if (provider != null && modelName != null && !modelName.isBlank()) {
                models.put(
                        field.key(),
                        new ModelEntry(
                                new ModelConfig(provider, modelName, url, variable),
                                variable == null ? null : keyField.value().pos()));
            }
        }
        return models;
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private List<AgentSpec> agents(ListNode list, Map<String, ModelEntry> models, Budget teamBudget) {
        List<AgentSpec> agents = new ArrayList<>();
        Map<String, Pos> ids = new HashMap<>();
        Set<String> unsetReported = new LinkedHashSet<>();
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
            if (id != null) {
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
            Field modelField = check.field(agent, "model", where, true);
            String model = check.string(modelField, where);
            if (modelField != null && model != null) {
                ModelEntry entry = models.get(model);
                if (!declaredModels.contains(model)) {
                    check.report(
                            modelField.value().pos(),
                            where + " uses model '" + model + "', which is not defined under 'models'",
                            Checker.unknownNameHint(model, declaredModels, "models"));
                } else if (entry != null) {
                    checkKeyIsSet(model, entry, unsetReported);
                }
            }
            String instructions = check.string(check.field(agent, "instructions", where, false), where);
            List<String> tools =
                    names(check.list(check.field(agent, "tools", where, false), where), "a tool of " + where);
            MapNode memory = check.map(check.field(agent, "memory", where, false), where);
            Long window = null;
            if (memory != null) {
                check.onlyKeys(memory, "the memory of " + where, List.of("window"));
                window = check.integer(
                        check.field(memory, "window", "the memory of " + where, true), "the memory of " + where, 0);
            }
            Permissions permissions =
                    permissions(check.map(check.field(agent, "permissions", where, false), where), where);
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
                agents.add(builder.build());
            } catch (ConfigurationException | IllegalArgumentException e) {
                check.report(agent.pos(), e.getMessage(), "fix " + where);
            }
        }
        return agents;
    }

    private void checkKeyIsSet(String model, ModelEntry entry, Set<String> reported) {
        String variable = entry.config().apiKeyVariable();
        if (variable == null || entry.apiKeyPos() == null || !reported.add(model)) {
            return;
        }
        String value = env.apply(variable);
        if (value == null || value.isBlank()) {
            check.report(
                    entry.apiKeyPos(),
                    "environment variable " + variable + " is not set; model '" + model + "' needs it as its API key",
                    "export " + variable + " before running (Troupe never prints its value)");
        }
    }

    private Permissions permissions(@Nullable MapNode map, String where) {
        if (map == null) {
            return Permissions.ALL;
        }
        String inner = "the permissions of " + where;
        check.onlyKeys(map, inner, List.of("tools", "delegates"));
        ListNode tools = check.list(check.field(map, "tools", inner, false), inner);
        ListNode delegates = check.list(check.field(map, "delegates", inner, false), inner);
        return new Permissions(
                tools == null ? Set.of(Permissions.ANY) : Set.copyOf(names(tools, "a tool in " + inner, true)),
                delegates == null
                        ? Set.of(Permissions.ANY)
                        : Set.copyOf(names(delegates, "a delegate in " + inner, true)));
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
    private @Nullable Budget budget(@Nullable MapNode map, String where, Budget defaults) {
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
