package io.troupe.server;

import io.troupe.api.ConfigurationException;
import io.troupe.api.TroupeException;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.tool.Tool;
import io.troupe.config.McpServerConfig;
import io.troupe.config.ModelConfig;
import io.troupe.config.ScenarioSpec;
import io.troupe.config.ToolConfig;
import io.troupe.launch.SpecModels;
import io.troupe.launch.SpecTools;
import io.troupe.models.llamacpp.LlamaCppModels;
import io.troupe.models.llamacpp.ModelManager;
import io.troupe.runtime.Catalog;
import io.troupe.runtime.resilience.RateLimit;
import io.troupe.runtime.resilience.ResilienceListener;
import io.troupe.telemetry.Telemetry;
import io.troupe.tools.PluginTools;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models and tools of the specs this server has run, by the names agents use: the runtime's {@link Catalog}.
 * A name means one thing on a server: a spec whose model or tool has a name already taken by a different definition
 * is refused, so that journaled runs always find what they named. Models are built once, the first time a spec
 * needs them (local models load once per file into one pool); tools likewise.
 *
 * <p>Inline specs that are not trusted may only use harmless models and tools, or ones a trusted spec defined the
 * same way (see {@link InlineSpecs#RESTRICTED}). Thread-safe: the runtime reads it from many threads, and stocking
 * is serialised.
 */
final class SpecShelf implements Catalog, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpecShelf.class);

    /** A model or tool on the shelf, with its definition (null for a plugin's tool) and where it came from. */
    private record Shelved<C, T>(@Nullable C config, T value, String origin, boolean trusted) {}

    /** What a spec of the spec folder defines under a name: the folder's specs own their names. */
    private record Reserved<C>(C config, String origin) {}

    private final Map<String, Reserved<ModelConfig>> folderModels = new ConcurrentHashMap<>();
    private final Map<String, Reserved<ToolConfig>> folderTools = new ConcurrentHashMap<>();
    private final Map<String, Shelved<ModelConfig, LanguageModel>> models = new ConcurrentHashMap<>();
    private final Map<String, Shelved<ToolConfig, Tool>> tools = new ConcurrentHashMap<>();
    private final LlamaCppModels pool;
    private final boolean ownsPool;
    private final @Nullable PluginTools plugins;
    private final Telemetry telemetry;
    private final Map<String, String> providers = new ConcurrentHashMap<>();
    private final ResilienceListener listener = new ResilienceListener() {
        @Override
        public void onRetry(String model, int attempt, java.time.Duration delay, io.troupe.api.ModelException e) {
            LOG.info("model '{}' attempt {} failed ({}); retrying in {} ms", model, attempt, e, delay.toMillis());
        }

        @Override
        public void onFallback(String from, String to, io.troupe.api.ModelException e) {
            LOG.warn("model '{}' gave up ({}); falling back to '{}'", from, e, to);
        }

        @Override
        public void onBreakerOpen(String model) {
            LOG.warn("model '{}' is skipped: its circuit breaker is open", model);
        }
    };

    /**
     * @param telemetry each model built is {@linkplain Telemetry#traced traced}, so that its calls carry their run's
     *     trace context, and its provider names the {@code chat} spans of its calls
     * @param pool where local models load, shared with the embedding program (which closes it); null for a pool of
     *     the shelf's own
     */
    SpecShelf(@Nullable PluginTools plugins, Telemetry telemetry, @Nullable LlamaCppModels pool) {
        this.plugins = plugins;
        this.telemetry = telemetry;
        this.ownsPool = pool == null;
        this.pool = pool != null ? pool : new LlamaCppModels();
    }

    /**
     * Reserves the names of the models and tools that the spec folder's {@code specs} define, for them: an inline spec
     * that defines one of those names differently is refused, even before the folder's spec first runs, so that no
     * client can take a name from the operator's specs. The first spec (in name order) that defines a name owns it.
     */
    synchronized void reserve(java.util.Collection<LoadedSpec> specs) {
        for (LoadedSpec spec : specs) {
            spec.scenario()
                    .models()
                    .forEach((name, config) -> folderModels.putIfAbsent(name, new Reserved<>(config, spec.origin())));
            for (ToolConfig config : spec.scenario().tools().values()) {
                folderTools.putIfAbsent(config.name(), new Reserved<>(normalized(config, spec), spec.origin()));
            }
        }
    }

    @Override
    public Optional<LanguageModel> model(String name) {
        Shelved<ModelConfig, LanguageModel> shelved = models.get(name);
        return shelved == null ? Optional.empty() : Optional.of(shelved.value());
    }

    @Override
    public Optional<RateLimit> rateLimit(String name) {
        Shelved<ModelConfig, LanguageModel> shelved = models.get(name);
        if (shelved == null
                || shelved.config() == null
                || shelved.config().options().rateLimit() == null) {
            return Optional.empty();
        }
        return Optional.of(SpecModels.rateLimit(
                shelved.config(), shelved.config().options().rateLimit()));
    }

    @Override
    public Optional<Tool> tool(String name) {
        Shelved<ToolConfig, Tool> shelved = tools.get(name);
        return shelved == null ? Optional.empty() : Optional.of(shelved.value());
    }

    /**
     * Checks {@code spec}'s models and tools against the shelf and its trust, then builds those that are missing.
     *
     * @throws ApiException 409 {@code spec_conflict} when a name is taken by another definition, 403
     *     {@code spec_refused} when an untrusted spec uses what it may not, 422 {@code spec_invalid} when a model or
     *     tool cannot be built
     */
    synchronized void stock(LoadedSpec spec) {
        ScenarioSpec scenario = spec.scenario();
        List<String> conflicts = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        boolean missing = false;
        for (String name : scenario.usedModels()) {
            ModelConfig config = scenario.models().get(name);
            if (config == null) {
                continue; // the spec reader reports models that are not defined
            }
            Shelved<ModelConfig, LanguageModel> shelved = models.get(name);
            Reserved<ModelConfig> reserved = spec.name() == null ? folderModels.get(name) : null;
            if (reserved != null && !reserved.config().equals(config)) {
                conflicts.add("model '" + name + "' is defined differently by " + reserved.origin()
                        + " in the server's spec folder, which owns the name");
            } else if (shelved != null && !Objects.equals(shelved.config(), config)) {
                conflicts.add("model '" + name + "' is already defined differently by " + shelved.origin());
            } else if (!spec.trusted()
                    && !(harmless(config) || reserved != null || (shelved != null && shelved.trusted()))) {
                refused.add("model '" + name + "' (" + config.provider().id() + " " + config.model()
                        + (config.adapter() == null ? "" : " with adapter " + config.adapter())
                        + (setsLoadSettings(config) ? " with its own context-size or threads" : "") + ")");
            }
            missing |= shelved == null;
        }
        for (ToolConfig raw : scenario.tools().values()) {
            ToolConfig config = normalized(raw, spec);
            Shelved<ToolConfig, Tool> shelved = tools.get(config.name());
            Reserved<ToolConfig> reserved = spec.name() == null ? folderTools.get(config.name()) : null;
            if (reserved != null && !reserved.config().equals(config)) {
                conflicts.add("tool '" + config.name() + "' is defined differently by " + reserved.origin()
                        + " in the server's spec folder, which owns the name");
            } else if (shelved != null && !Objects.equals(shelved.config(), config)) {
                conflicts.add("tool '" + config.name() + "' is already defined differently by " + shelved.origin());
            } else if (!spec.trusted()
                    && !(harmless(config) || reserved != null || (shelved != null && shelved.trusted()))) {
                refused.add("tool '" + config.name() + "'");
            }
            missing |= shelved == null;
        }
        if (!spec.trusted()) {
            // An MCP server is a command the server would start or an address it would reach: never a client's.
            for (McpServerConfig server : scenario.mcpServers().values()) {
                refused.add("MCP server '" + server.name() + "' ("
                        + (server instanceof McpServerConfig.Stdio stdio
                                ? "the command " + String.join(" ", stdio.command())
                                : "the endpoint " + ((McpServerConfig.Http) server).url())
                        + ")");
            }
        }
        if (!conflicts.isEmpty()) {
            throw new ApiException(
                    409,
                    "spec_conflict",
                    String.join("; ", conflicts) + ". A name means one model or tool on a server: give it another"
                            + " name in " + spec.origin() + ", or define it the same way");
        }
        if (!refused.isEmpty()) {
            throw new ApiException(
                    403,
                    "spec_refused",
                    "An inline spec may use only local catalog models, clock and calculator, and the models and tools"
                            + " that a spec in the server's spec folder defines the same way, and no MCP server; "
                            + spec.origin()
                            + " also uses " + String.join(", ", refused) + ". Put the spec in the spec folder"
                            + " (troupe serve --spec-dir) and name it, or start the server with --inline-specs"
                            + " trusted");
        }
        if (!missing && agentsToolsShelved(scenario)) {
            return;
        }
        try {
            if (scenario.usedModels().stream().anyMatch(name -> !models.containsKey(name))) {
                try (SpecModels built =
                        SpecModels.build(scenario, new PrintStream(OutputStream.nullOutputStream()), listener, pool)) {
                    built.models()
                            .forEach((name, model) -> models.putIfAbsent(
                                    name,
                                    new Shelved<>(
                                            scenario.models().get(name),
                                            telemetry.traced(model),
                                            spec.origin(),
                                            spec.trusted())));
                    SpecModels.providers(scenario).forEach(providers::putIfAbsent);
                    telemetry.providers(Map.copyOf(providers));
                }
            }
            SpecTools built = SpecTools.build(
                    scenario,
                    spec.origin(),
                    spec.base(),
                    plugins,
                    plugins == null ? "start the server with --plugins DIR" : "no plugin jar declares it");
            for (Tool tool : built.tools()) {
                ToolConfig config = scenario.tools().get(tool.name());
                tools.putIfAbsent(
                        tool.name(),
                        new Shelved<>(
                                config == null ? null : normalized(config, spec),
                                tool,
                                config == null ? "a plugin jar" : spec.origin(),
                                spec.trusted() || config == null));
            }
        } catch (TroupeException e) {
            throw new ApiException(
                    422, "spec_invalid", "Cannot build what " + spec.origin() + " needs: " + e.getMessage());
        }
    }

    private boolean agentsToolsShelved(ScenarioSpec scenario) {
        return scenario.tools().keySet().stream().allMatch(tools::containsKey);
    }

    /**
     * A local model from the catalog, without an adapter: it reads no secret, no file the client names (an adapter is
     * a path on the server) and reaches no network but the catalog's.
     */
    /**
     * A local catalog model without an adapter, and without load settings: a model file is loaded once for the whole
     * server, with the settings of whoever loads it first, so an inline spec's context size or thread count would
     * change the model for every spec (or exhaust the machine).
     */
    private static boolean harmless(ModelConfig config) {
        return config.provider() == ModelConfig.Provider.LLAMACPP
                && config.adapter() == null
                && !setsLoadSettings(config)
                && ModelManager.standard().entry(config.model()).isPresent();
    }

    private static boolean setsLoadSettings(ModelConfig config) {
        return config.options().sampling().contextSize() != null
                || config.options().sampling().threads() != null;
    }

    private static boolean harmless(ToolConfig config) {
        return config instanceof ToolConfig.Clock || config instanceof ToolConfig.Calculator;
    }

    /** {@code config} with a files workspace resolved against the spec's folder, so that equal means the same. */
    private static ToolConfig normalized(ToolConfig config, LoadedSpec spec) {
        return config instanceof ToolConfig.Files files
                ? new ToolConfig.Files(
                        files.name(),
                        spec.base().resolve(files.workspace()).normalize().toString(),
                        files.write(),
                        files.maxBytes())
                : config;
    }

    /** The pool local models load into: one load per file, shared with OpenAI-compatible serving. */
    LlamaCppModels pool() {
        return pool;
    }

    /** Whether every model and tool {@code spec} names is on the shelf. */
    boolean has(ScenarioSpec scenario) {
        return scenario.usedModels().stream().allMatch(models::containsKey) && agentsToolsShelved(scenario);
    }

    @Override
    public void close() {
        if (ownsPool) {
            pool.close();
        }
        if (plugins != null) {
            plugins.close();
        }
    }

    /** Refuses a spec that cannot run here with a message for the client. */
    static ApiException invalid(ConfigurationException e, String origin) {
        return new ApiException(422, "spec_invalid", origin + " cannot run: " + e.getMessage());
    }
}
