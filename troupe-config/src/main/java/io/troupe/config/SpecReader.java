package io.troupe.config;

import io.troupe.api.budget.Budget;
import io.troupe.api.team.TeamSpec;
import io.troupe.config.YamlTree.Field;
import io.troupe.config.YamlTree.MapNode;
import io.troupe.config.YamlTree.Node;
import io.troupe.config.YamlTree.Pos;
import java.util.ArrayList;
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
 * node that caused it. This class reads the top of the file and the models; {@link TeamReader} reads the agents,
 * the mechanism and the budget. One reader reads one file; not thread-safe.
 */
final class SpecReader {
    static final int VERSION = 1;

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final List<String> TOP = List.of(
            "troupe",
            "name",
            "models",
            "tools",
            "mcp-servers",
            "agents",
            "team",
            "budget",
            "task",
            "guardrails",
            "runtime");
    private static final List<String> RUNTIME = List.of("max-runs-in-flight", "max-queued-runs", "max-queue-wait");
    private static final List<String> MODEL = concat(
            List.of("provider", "model", "base-url", "api-key", "adapter", "url", "token"), ModelReader.OPTION_KEYS);
    /** The keys a remote A2A agent does not take: it chooses its own model and sampling. */
    private static final List<String> NOT_FOR_A2A = List.of("base-url", "api-key", "temperature", "max-tokens");

    private final Checker check;
    private final ModelReader modelReader;
    private final Function<String, @Nullable String> env;
    /** Every model name written in the file, including those with mistakes. */
    private final List<String> declaredModels = new ArrayList<>();
    /** The models whose unset API key variable has been reported, so that it is reported once. */
    private final Set<String> unsetReported = new LinkedHashSet<>();
    /** The models read, by name. */
    private Map<String, ModelEntry> models = new LinkedHashMap<>();

    /** A model as read, with where its API key is written so that an unset variable can be pointed at. */
    private record ModelEntry(ModelConfig config, @Nullable Pos apiKeyPos) {}

    SpecReader(Checker check, Function<String, @Nullable String> env) {
        this.check = check;
        this.modelReader = new ModelReader(check);
        this.env = env;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
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
        models = models(check.map(check.field(top, "models", "the spec", true), "the spec"));
        modelReader.checkFallbacks(declaredModels);
        ToolsReader tools = new ToolsReader(check);
        tools.read(top.fields().get("tools"));
        Map<String, McpServerConfig> mcpServers =
                new McpReader(check).read(top.fields().get("mcp-servers"));
        Field guardrailsField = top.fields().get("guardrails");
        GuardrailsReader guardrails = new GuardrailsReader(check);
        TeamReader teams = new TeamReader(
                check, this::checkModel, tools::used, guardrails, GuardrailsReader.denyByDefault(guardrailsField));
        TeamSpec team =
                teams.read(top, name == null || name.isBlank() ? null : name, "the spec", "budget", Budget.DEFAULT);
        String task = check.string(check.field(top, "task", "the spec", false), "the spec");
        GuardrailsConfig guard = guardrails.read(guardrailsField, teams.guardrails(), this::checkModel);
        tools.checkNamed(guardrails.namedTools());
        RuntimeSettings runtime = runtime(check.map(check.field(top, "runtime", "the spec", false), "the spec"));
        if (check.problemCount() > 0 || name == null || team == null || guard == null) {
            return null;
        }
        Map<String, ModelConfig> configs = new LinkedHashMap<>();
        models.forEach((key, entry) -> configs.put(key, entry.config()));
        return new ScenarioSpec(name, configs, team, task, tools.tools(), tools.traits(), guard, mcpServers, runtime);
    }

    /** The {@code runtime:} settings: how many runs the runtime holds at once. */
    private RuntimeSettings runtime(@Nullable MapNode map) {
        if (map == null) {
            return RuntimeSettings.DEFAULTS;
        }
        String where = "'runtime'";
        check.onlyKeys(map, where, RUNTIME);
        Long inFlight = check.integer(check.field(map, "max-runs-in-flight", where, false), where, 1);
        Long queued = check.integer(check.field(map, "max-queued-runs", where, false), where, 0);
        java.time.Duration wait = check.duration(check.field(map, "max-queue-wait", where, false), where);
        return new RuntimeSettings(
                inFlight == null ? null : inFlight.intValue(), queued == null ? null : queued.intValue(), wait);
    }

    private Map<String, ModelEntry> models(@Nullable MapNode map) {
        Map<String, ModelEntry> models = new LinkedHashMap<>();
        if (map == null) {
            return models;
        }
        for (Field field : map.fields().values()) {
            declaredModels.add(field.key());
            String where = "model '" + field.key() + "'";
            if (!io.troupe.api.Checks.isName(field.key())) {
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
                            Hints.unknownNameHint(providerId, ModelConfig.Provider.ids(), "providers"));
                }
            }
            boolean remote = provider == ModelConfig.Provider.A2A;
            checkRemoteKeys(model, where, remote);
            String modelName = check.string(check.field(model, "model", where, !remote), where);
            if (remote && modelName == null) {
                modelName = "a2a";
            }
            String urlKey = remote ? "url" : "base-url";
            Field urlField = check.field(model, urlKey, where, remote);
            String url = check.string(urlField, where);
            String urlProblem = url == null || url.contains("${") ? null : HttpUrls.problem(url);
            if (urlField != null && urlProblem != null) {
                check.report(
                        urlField.value().pos(),
                        "'" + urlKey + "' in " + where + " " + urlProblem,
                        "e.g. '" + Hints.example(urlKey) + "'");
            }
            String keyKey = remote ? "token" : "api-key";
            Field keyField = check.field(model, keyKey, where, false);
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
                            "'" + keyKey + "' in " + where
                                    + " must be an environment variable reference like ${OPENAI_API_KEY}",
                            "keep secrets out of spec files: export the key and write '" + keyKey + ": ${NAME}'");
                }
            }
            ModelOptions options = modelReader.read(field.key(), model, provider);
            Field adapterField = check.field(model, "adapter", where, false);
            String adapter = check.string(adapterField, where);
            if (adapterField != null && adapter != null) {
                if (adapter.isBlank()) {
                    check.report(
                            adapterField.value().pos(),
                            "'adapter' in " + where + " is empty",
                            "give the path of a LoRA adapter .gguf file, or remove 'adapter'");
                    adapter = null;
                } else if (provider != null && provider != ModelConfig.Provider.LLAMACPP) {
                    check.report(
                            adapterField.value().pos(),
                            "'adapter' in " + where + " needs provider 'llamacpp', not '" + provider.id() + "'",
                            "a LoRA adapter (a GGUF file from 'troupe tune') runs on a local llamacpp model; for a"
                                    + " hosted fine-tune, name its model under 'model'");
                    adapter = null;
                }
            }
            if (provider != null && modelName != null && !modelName.isBlank()) {
                models.put(
                        field.key(),
                        new ModelEntry(
                                new ModelConfig(provider, modelName, url, variable, options, adapter),
                                variable == null ? null : keyField.value().pos()));
            }
        }
        return models;
    }

    /** {@code url} and {@code token} are for remote A2A agents only, which take no endpoint key or sampling. */
    private void checkRemoteKeys(MapNode model, String where, boolean remote) {
        if (remote) {
            for (String key : NOT_FOR_A2A) {
                Field field = model.fields().get(key);
                if (field != null) {
                    check.report(
                            field.keyPos(),
                            "'" + key + "' in " + where + " does not apply to provider a2a",
                            switch (key) {
                                case "base-url" -> "write the agent's address as 'url: http://host:port/a2a'";
                                case "api-key" -> "write the agent's bearer token as 'token: ${NAME}'";
                                default -> "the remote agent chooses its own model and sampling; remove it";
                            });
                }
            }
            return;
        }
        for (String key : List.of("url", "token")) {
            Field field = model.fields().get(key);
            if (field != null) {
                check.report(
                        field.keyPos(),
                        "'" + key + "' in " + where + " is for provider a2a (a remote agent)",
                        key.equals("url") ? "write the endpoint as 'base-url'" : "write the key as 'api-key: ${NAME}'");
            }
        }
    }

    /** Checks that {@code model}, used by the agent {@code where}, is defined, and that its API key is set. */
    private void checkModel(Field modelField, String model, String where) {
        ModelEntry entry = models.get(model);
        if (!declaredModels.contains(model)) {
            check.report(
                    modelField.value().pos(),
                    where + " uses model '" + model + "', which is not defined under 'models'",
                    Hints.unknownNameHint(model, declaredModels, "models"));
        } else if (entry != null) {
            checkKeyIsSet(model, entry);
            // The fallbacks of a used model are used too: their keys must be set as well.
            Set<String> seen = new LinkedHashSet<>(List.of(model));
            List<String> pending = new ArrayList<>(entry.config().options().fallback());
            while (!pending.isEmpty()) {
                String fallback = pending.removeFirst();
                ModelEntry next = models.get(fallback);
                if (seen.add(fallback) && next != null) {
                    checkKeyIsSet(fallback, next);
                    pending.addAll(next.config().options().fallback());
                }
            }
        }
    }

    private void checkKeyIsSet(String model, ModelEntry entry) {
        String variable = entry.config().apiKeyVariable();
        if (variable == null || entry.apiKeyPos() == null || !unsetReported.add(model)) {
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
}
