package io.troupe.models.langchain4j;

import io.troupe.api.ConfigurationException;
import io.troupe.api.model.LanguageModel;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The settings that every provider's builder shares. Setters only record values; {@link #build()} checks them all and
 * throws one {@link ConfigurationException} that lists every problem.
 *
 * <p>Not thread-safe; the models it builds are.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract sealed class ProviderBuilder<B extends ProviderBuilder<B>>
        permits OpenAiCompatible.Builder, Anthropic.Builder, Ollama.Builder {
    /** How long a call may take, connecting included, unless {@link #timeout(Duration)} says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final String provider;
    private @Nullable String model;
    private final String defaultBaseUrl;
    private String baseUrl;
    private @Nullable ApiKey apiKey;
    private @Nullable PriceTable prices;
    private Duration timeout = DEFAULT_TIMEOUT;
    private @Nullable Integer maxOutputTokens;
    private @Nullable Double temperature;

    ProviderBuilder(String provider, String defaultBaseUrl) {
        this.provider = provider;
        this.defaultBaseUrl = defaultBaseUrl;
        this.baseUrl = defaultBaseUrl;
    }

    /** The model name the provider knows, e.g. {@code gpt-4o-mini}; required. */
    public B model(String model) {
        this.model = model;
        return self();
    }

    /** The server's base URL; each provider has a default. */
    public B baseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
        return self();
    }

    /** The API key, from the environment or configuration. */
    public B apiKey(ApiKey apiKey) {
        this.apiKey = apiKey;
        return self();
    }

    /**
     * Prices used to fill in each response's cost. By default, a model served from the provider's own endpoint is
     * priced from the {@link PriceCatalog}, and any other model costs zero.
     */
    public B prices(PriceTable prices) {
        this.prices = prices;
        return self();
    }

    /** How long one call may take, connecting included; default {@link #DEFAULT_TIMEOUT}. */
    public B timeout(Duration timeout) {
        this.timeout = timeout;
        return self();
    }

    /** The most tokens one answer may have; the provider's default if unset. */
    public B maxOutputTokens(int maxOutputTokens) {
        this.maxOutputTokens = maxOutputTokens;
        return self();
    }

    /** Sampling temperature, from 0 to 2; the provider's default if unset. */
    public B temperature(double temperature) {
        this.temperature = temperature;
        return self();
    }

    /**
     * Builds the model.
     *
     * @throws ConfigurationException listing every setting that is missing or wrong
     */
    public abstract LanguageModel build();

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Checks the shared settings; {@code keyRequired} says whether the provider refuses calls without a key. */
    final List<String> problems(boolean keyRequired, String keyVariable) {
        List<String> problems = new ArrayList<>();
        if (model == null || model.isBlank()) {
            problems.add(provider + " model is not set; call model(\"<name>\")");
        }
        if (baseUrl == null || !isHttpUrl(baseUrl)) {
            problems.add(
                    provider + " baseUrl '" + baseUrl + "' is not an http(s) URL such as http://localhost:8080/v1");
        }
        if (apiKey == null && keyRequired) {
            problems.add(provider + " needs an API key; call apiKey(ApiKey.fromEnv(\"" + keyVariable + "\"))");
        }
        if (apiKey != null && !apiKey.isPresent()) {
            problems.add(provider + " API key is missing: " + apiKey.source() + " is not set or blank");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            problems.add(provider + " timeout must be positive, got " + timeout);
        }
        if (maxOutputTokens != null && maxOutputTokens < 1) {
            problems.add(provider + " maxOutputTokens must be at least 1, got " + maxOutputTokens);
        }
        if (temperature != null && (temperature.isNaN() || temperature < 0 || temperature > 2)) {
            problems.add(provider + " temperature must be between 0 and 2, got " + temperature);
        }
        return problems;
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = URI.create(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    final String provider() {
        return provider;
    }

    final String model() {
        return model == null ? "" : model;
    }

    final String baseUrl() {
        return baseUrl;
    }

    final @Nullable ApiKey apiKey() {
        return apiKey;
    }

    /** The key's value, or null when there is no key. */
    final @Nullable String secret() {
        return apiKey == null ? null : apiKey.secret().orElse(null);
    }

    final PriceTable prices() {
        if (prices != null) {
            return prices;
        }
        return baseUrl.equals(defaultBaseUrl) ? PriceCatalog.tableFor(model()) : PriceTable.NONE;
    }

    final Duration timeout() {
        return timeout;
    }

    final @Nullable Integer maxOutputTokens() {
        return maxOutputTokens;
    }

    final @Nullable Double temperature() {
        return temperature;
    }

    /**
     * Checks that an optional provider client is on the classpath, naming the artifact to add when it is not: the
     * Anthropic and Ollama clients are optional dependencies, so that a project that uses OpenAI alone does not carry
     * them.
     *
     * @throws ConfigurationException if {@code className} cannot be loaded
     */
    static void requireOnClasspath(String className, String artifact, String provider) {
        try {
            Class.forName(className, false, ProviderBuilder.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ConfigurationException(provider + " models need dev.langchain4j:" + artifact
                    + " on the classpath, which troupe-models-langchain4j leaves optional: add it to your pom without"
                    + " a version when you import troupe-bom");
        }
    }
}
