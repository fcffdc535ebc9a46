package io.troupe.launch;

import io.troupe.api.ConfigurationException;
import io.troupe.api.model.LanguageModel;
import io.troupe.config.ModelConfig;
import io.troupe.config.ModelOptions;
import io.troupe.config.ScenarioSpec;
import io.troupe.interop.a2a.A2aClient;
import io.troupe.interop.a2a.A2aModel;
import io.troupe.models.langchain4j.Anthropic;
import io.troupe.models.langchain4j.ApiKey;
import io.troupe.models.langchain4j.ModelPrice;
import io.troupe.models.langchain4j.Ollama;
import io.troupe.models.langchain4j.OpenAiCompatible;
import io.troupe.models.langchain4j.PriceTable;
import io.troupe.models.langchain4j.ProviderBuilder;
import io.troupe.models.llamacpp.LlamaCppModels;
import io.troupe.models.llamacpp.LlamaCppSettings;
import io.troupe.models.llamacpp.ModelFiles;
import io.troupe.models.llamacpp.ModelManager;
import io.troupe.runtime.resilience.CircuitBreaker;
import io.troupe.runtime.resilience.RateLimit;
import io.troupe.runtime.resilience.ResilienceListener;
import io.troupe.runtime.resilience.ResiliencePolicy;
import io.troupe.runtime.resilience.ResilientModel;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The language models a spec's agents use, built from its {@link ModelConfig}s, each inside Troupe's resilience
 * layer: retries with backoff that honour Retry-After, a timeout per attempt, one circuit breaker per model shared by
 * every chain that reaches it, and the model's fallbacks. Models that no agent reaches are not built, so their API
 * keys need not be set. Closing releases the llama.cpp models.
 */
public final class SpecModels implements AutoCloseable {
    /** How long one call to a remote A2A agent may take by default. */
    static final Duration A2A_TIMEOUT = Duration.ofMinutes(10);

    private final LlamaCppModels llamaCpp;
    private final boolean ownsPool;
    private final Map<String, LanguageModel> models = new LinkedHashMap<>();

    private SpecModels(LlamaCppModels llamaCpp, boolean ownsPool) {
        this.llamaCpp = llamaCpp;
        this.ownsPool = ownsPool;
    }

    /**
     * Builds every model an agent of {@code spec} refers to, and their fallbacks.
     *
     * @param progress where to say that a local model is loading
     * @param listener hears about retries, fallbacks and open breakers
     * @throws io.troupe.api.TroupeException if a model cannot be found, downloaded or configured
     */
    public static SpecModels build(ScenarioSpec spec, PrintStream progress, ResilienceListener listener) {
        return build(spec, progress, listener, UnaryOperator.identity());
    }

    /**
     * Like {@link #build(ScenarioSpec, PrintStream, ResilienceListener)}, with each provider's model wrapped by {@code
     * wrap} inside its resilience layer (so that every attempt passes the wrapper), as tracing needs.
     */
    public static SpecModels build(
            ScenarioSpec spec, PrintStream progress, ResilienceListener listener, UnaryOperator<LanguageModel> wrap) {
        return build(spec, progress, listener, wrap, new LlamaCppModels(), true);
    }

    /**
     * Like {@link #build(ScenarioSpec, PrintStream, ResilienceListener)}, loading local models into {@code pool},
     * which the caller shares between specs (one load per file and JVM) and closes itself.
     */
    public static SpecModels build(
            ScenarioSpec spec, PrintStream progress, ResilienceListener listener, LlamaCppModels pool) {
        return build(spec, progress, listener, UnaryOperator.identity(), pool, false);
    }

    /**
     * Builds the models called {@code names} under the spec's {@code models}, with their fallbacks, in one pool (a
     * model file loads once however many names use it): for a caller that runs the spec's team with other models
     * than its own, as {@code troupe eval --compare} does.
     *
     * @throws io.troupe.api.TroupeException if a name is not under {@code models}, or a model cannot be found,
     *     downloaded or configured
     */
    public static SpecModels build(
            ScenarioSpec spec, Collection<String> names, PrintStream progress, ResilienceListener listener) {
        Set<String> used = new LinkedHashSet<>();
        for (String name : names) {
            config(spec, name);
            used.add(name);
            used.addAll(fallbacks(spec, name));
        }
        return build(spec, List.copyOf(used), progress, listener, UnaryOperator.identity(), new LlamaCppModels(), true);
    }

    private static SpecModels build(
            ScenarioSpec spec,
            PrintStream progress,
            ResilienceListener listener,
            UnaryOperator<LanguageModel> wrap,
            LlamaCppModels pool,
            boolean ownsPool) {
        // agents' models, of nested teams too, and their fallbacks
        return build(spec, spec.usedModels(), progress, listener, wrap, pool, ownsPool);
    }

    private static SpecModels build(
            ScenarioSpec spec,
            List<String> used,
            PrintStream progress,
            ResilienceListener listener,
            UnaryOperator<LanguageModel> wrap,
            LlamaCppModels pool,
            boolean ownsPool) {
        SpecModels built = new SpecModels(pool, ownsPool);
        try {
            Map<String, LanguageModel> bare = new LinkedHashMap<>();
            Map<String, CircuitBreaker> breakers = new LinkedHashMap<>();
            for (String name : used) {
                ModelConfig config = config(spec, name);
                bare.put(name, wrap.apply(built.create(name, config, progress)));
                ResiliencePolicy policy = policy(config);
                breakers.put(
                        name,
                        new CircuitBreaker(policy.breakerThreshold(), policy.breakerOpenFor(), Clock.systemUTC()));
            }
            for (String name : used) {
                ResilientModel.Builder chain = ResilientModel.builder(name, bare.get(name))
                        .policy(policy(config(spec, name)))
                        .listener(listener)
                        .breaker(name, breakers.get(name));
                for (String fallback : fallbacks(spec, name)) {
                    chain.fallback(fallback, bare.get(fallback), policy(config(spec, fallback)))
                            .breaker(fallback, breakers.get(fallback));
                }
                built.models.put(name, chain.build());
            }
            return built;
        } catch (RuntimeException e) {
            built.close();
            throw e;
        }
    }

    /**
     * What building the spec's models would refuse, found without loading or downloading anything: a local model that
     * is neither a catalog name nor a {@code .gguf} file that exists, an adapter file that does not exist. One line
     * per problem, naming the model; empty when there is none.
     */
    public static List<String> problems(ScenarioSpec spec) {
        List<String> problems = new ArrayList<>();
        ModelManager manager = ModelManager.standard();
        spec.models().forEach((name, config) -> {
            if (config.provider() != ModelConfig.Provider.LLAMACPP) {
                return;
            }
            manager.problem(config.model()).ifPresent(problem -> problems.add("model '" + name + "': " + problem));
            String adapter = config.adapter();
            if (adapter != null && !java.nio.file.Files.isRegularFile(Path.of(adapter))) {
                problems.add("model '" + name + "': the adapter file " + adapter + " does not exist");
            }
        });
        return problems;
    }

    /** Each model's provider, lower case ({@code openai}, {@code llamacpp}...), for {@code gen_ai.provider.name}. */
    public static Map<String, String> providers(ScenarioSpec spec) {
        Map<String, String> providers = new LinkedHashMap<>();
        spec.models()
                .forEach((name, config) -> providers.put(
                        name,
                        config.provider()
                                .name()
                                .toLowerCase(java.util.Locale.ROOT)
                                .replace('_', '.')));
        return providers;
    }

    /**
     * The rate limit of each model that declares one ({@code rate-limit:}), by the name agents use: named as declared,
     * or after the model's provider ({@code openai}, {@code anthropic}...) so that a provider's models share it.
     */
    public static Map<String, RateLimit> rateLimits(ScenarioSpec spec) {
        Map<String, RateLimit> limits = new LinkedHashMap<>();
        spec.models().forEach((name, config) -> {
            ModelOptions.RateLimit declared = config.options().rateLimit();
            if (declared != null) {
                limits.put(name, rateLimit(config, declared));
            }
        });
        return limits;
    }

    /** {@code declared} as the runtime's limit, named after {@code config}'s provider unless it has a name. */
    public static RateLimit rateLimit(ModelConfig config, ModelOptions.RateLimit declared) {
        String name =
                declared.name() != null ? declared.name() : config.provider().id();
        return new RateLimit(name, declared.requestsPerMinute(), declared.tokensPerMinute());
    }

    /** The models by the names agents use, each with its resilience layer. */
    public Map<String, LanguageModel> models() {
        return models;
    }

    /**
     * The resilience policy of a model: a remote A2A agent, whose answer may be a whole team's run, gets ten minutes
     * a call unless its options say otherwise.
     */
    static ResiliencePolicy policy(ModelConfig config) {
        ResiliencePolicy policy = policy(config.options());
        return config.provider() == ModelConfig.Provider.A2A && config.options().timeout() == null
                ? policy.withCallTimeout(A2A_TIMEOUT)
                : policy;
    }

    /** The resilience policy a model's options ask for, on top of {@link ResiliencePolicy#DEFAULT}. */
    static ResiliencePolicy policy(ModelOptions options) {
        ResiliencePolicy policy = ResiliencePolicy.DEFAULT;
        ModelOptions.Retries retries = options.retries();
        if (retries != null) {
            policy = policy.withMaxAttempts(retries.attempts());
            Duration initial = retries.backoff() != null ? retries.backoff() : policy.initialBackoff();
            Duration max = retries.maxBackoff() != null
                    ? retries.maxBackoff()
                    : (initial.compareTo(policy.maxBackoff()) > 0 ? initial : policy.maxBackoff());
            policy = policy.withBackoff(initial, max, policy.jitter());
        }
        if (options.timeout() != null) {
            policy = policy.withCallTimeout(options.timeout());
        }
        ModelOptions.Breaker breaker = options.breaker();
        if (breaker != null) {
            policy = policy.withBreaker(breaker.failures(), breaker.openFor());
        }
        return policy;
    }

    /** The fallbacks of {@code name}, and theirs, depth first, each once and never {@code name} itself. */
    static List<String> fallbacks(ScenarioSpec spec, String name) {
        Set<String> chain = new LinkedHashSet<>(List.of(name));
        List<String> order = new ArrayList<>();
        collect(spec, name, chain, order);
        return order;
    }

    private static void collect(ScenarioSpec spec, String name, Set<String> seen, List<String> order) {
        for (String fallback : config(spec, name).options().fallback()) {
            if (seen.add(fallback)) {
                order.add(fallback);
                collect(spec, fallback, seen, order);
            }
        }
    }

    private static ModelConfig config(ScenarioSpec spec, String name) {
        ModelConfig config = spec.models().get(name);
        if (config == null) {
            throw new ConfigurationException(
                    "An agent uses model '" + name + "', which the spec does not define under 'models'");
        }
        return config;
    }

    private LanguageModel create(String name, ModelConfig config, PrintStream progress) {
        ModelOptions options = config.options();
        return switch (config.provider()) {
            case LLAMACPP -> {
                String adapter = config.adapter();
                progress.println("Loading model '" + name + "' (" + config.model()
                        + (adapter == null ? "" : " with adapter " + adapter) + ")…");
                ModelFiles files = ModelFiles.of(ModelManager.standard().resolve(config.model()));
                if (adapter != null) {
                    // SpecLoader.load made a relative adapter path absolute against the spec's folder
                    files = files.withAdapter(Path.of(adapter));
                }
                LanguageModel local = llamaCpp.model(files, settings(options.sampling()));
                yield options.prices() == null ? local : new PricedModel(local, price(options.prices()));
            }
            case OPENAI -> configure(OpenAiCompatible.builder(), config).build();
            case ANTHROPIC -> configure(Anthropic.builder(), config).build();
            case OLLAMA -> configure(Ollama.builder(), config).build();
            case A2A -> {
                A2aModel remote = remote(name, config);
                yield options.prices() == null ? remote : new PricedModel(remote, price(options.prices()));
            }
        };
    }

    /** A remote A2A agent: its card is read at the first call, so that a spec loads while the agent starts. */
    private static A2aModel remote(String name, ModelConfig config) {
        String token = null;
        if (config.apiKeyVariable() != null) {
            token = System.getenv(config.apiKeyVariable());
            if (token == null || token.isBlank()) {
                throw new ConfigurationException("Model '" + name + "' (a2a " + config.baseUrl() + ") needs its token"
                        + " in the environment variable " + config.apiKeyVariable() + ", which is not set; export it");
            }
        }
        URI url;
        try {
            url = URI.create(java.util.Objects.requireNonNull(config.baseUrl(), "an a2a model has a url"));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(
                    "Model '" + name + "' has an unusable url '" + config.baseUrl() + "': " + e.getMessage());
        }
        return new A2aModel(name, new A2aClient(url, token, Duration.ofSeconds(10)));
    }

    private static LlamaCppSettings settings(ModelOptions.Sampling sampling) {
        LlamaCppSettings settings = LlamaCppSettings.DEFAULTS;
        if (sampling.contextSize() != null) {
            settings = settings.withContextSize(sampling.contextSize());
        }
        if (sampling.threads() != null) {
            settings = settings.withThreads(sampling.threads());
        }
        if (sampling.temperature() != null) {
            settings = settings.withTemperature(sampling.temperature().floatValue());
        }
        if (sampling.seed() != null) {
            settings = settings.withSeed(sampling.seed());
        }
        if (sampling.maxTokens() != null) {
            settings = settings.withMaxTokens(sampling.maxTokens());
        }
        return settings;
    }

    private static <B extends ProviderBuilder<B>> B configure(B builder, ModelConfig config) {
        ModelOptions options = config.options();
        builder.model(config.model());
        if (config.baseUrl() != null) {
            builder.baseUrl(config.baseUrl());
        }
        if (config.apiKeyVariable() != null) {
            builder.apiKey(ApiKey.fromEnv(config.apiKeyVariable()));
        }
        if (options.prices() != null) {
            builder.prices(PriceTable.of(config.model(), price(options.prices())));
        }
        if (options.timeout() != null) {
            builder.timeout(options.timeout());
        }
        if (options.sampling().temperature() != null) {
            builder.temperature(options.sampling().temperature());
        }
        if (options.sampling().maxTokens() != null) {
            builder.maxOutputTokens(options.sampling().maxTokens());
        }
        return builder;
    }

    private static ModelPrice price(ModelOptions.Prices prices) {
        return new ModelPrice(prices.input(), prices.output());
    }

    /** Releases the llama.cpp models, unless they were loaded into a pool the caller owns. */
    @Override
    public void close() {
        if (ownsPool) {
            llamaCpp.close();
        }
    }
}
