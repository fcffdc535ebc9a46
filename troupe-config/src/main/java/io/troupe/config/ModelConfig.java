package io.troupe.config;

import io.troupe.api.Checks;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * How to reach one model named in a spec. The API key is kept as the name of an environment variable, never as
 * its value, so that printing, journaling or logging a config cannot leak a secret.
 *
 * @param provider who serves the model
 * @param model the provider's model name, or a file name or path for {@link Provider#LLAMACPP}
 * @param baseUrl the endpoint, or null for the provider's default
 * @param apiKeyVariable the environment variable that holds the API key, or null when none is needed
 * @param options retries, timeout, breaker, fallbacks, prices and sampling
 * @param adapter a LoRA adapter (a GGUF file) applied on a {@link Provider#LLAMACPP} model, or null for the model alone;
 *     {@link SpecLoader#load} makes a relative path absolute against the spec file's folder
 */
public record ModelConfig(
        Provider provider,
        String model,
        @Nullable String baseUrl,
        @Nullable String apiKeyVariable,
        ModelOptions options,
        @Nullable String adapter) {

    public ModelConfig {
        Checks.notNull(provider, "Model provider");
        Checks.notBlank(model, "Model name");
        Checks.notNull(options, "Model options");
        if (apiKeyVariable != null && !SpecReader.isVariableName(apiKeyVariable)) {
            throw new IllegalArgumentException(
                    "API key variable '" + apiKeyVariable + "' is not an environment variable name");
        }
        if (adapter != null) {
            Checks.notBlank(adapter, "Model adapter");
            if (provider != Provider.LLAMACPP) {
                throw new IllegalArgumentException("A LoRA adapter needs a llamacpp model, not " + provider.id());
            }
        }
    }

    /** A model without an adapter. */
    public ModelConfig(
            Provider provider,
            String model,
            @Nullable String baseUrl,
            @Nullable String apiKeyVariable,
            ModelOptions options) {
        this(provider, model, baseUrl, apiKeyVariable, options, null);
    }

    /** A model with every default option. */
    public ModelConfig(Provider provider, String model, @Nullable String baseUrl, @Nullable String apiKeyVariable) {
        this(provider, model, baseUrl, apiKeyVariable, ModelOptions.DEFAULTS, null);
    }

    /** This config with another model name or file, for example from {@code troupe run --model}; the adapter stays. */
    public ModelConfig withModel(String model) {
        return new ModelConfig(provider, model, baseUrl, apiKeyVariable, options, adapter);
    }

    /** This config with {@code adapter} applied on its (llamacpp) model. */
    public ModelConfig withAdapter(@Nullable String adapter) {
        return new ModelConfig(provider, model, baseUrl, apiKeyVariable, options, adapter);
    }

    /**
     * Looks the API key up in {@code env} (for example {@code System::getenv}). The value is returned to the caller
     * and kept nowhere.
     *
     * @return the key, or empty if none is configured or the variable is unset or blank
     */
    public Optional<String> resolveApiKey(Function<String, @Nullable String> env) {
        if (apiKeyVariable == null) {
            return Optional.empty();
        }
        String value = env.apply(apiKeyVariable);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    @Override
    public String toString() {
        return "ModelConfig[provider=" + provider.id() + ", model=" + model
                + (baseUrl == null ? "" : ", baseUrl=" + baseUrl)
                + (apiKeyVariable == null ? "" : ", apiKey=${" + apiKeyVariable + "}")
                + (options.equals(ModelOptions.DEFAULTS) ? "" : ", options=" + options)
                + (adapter == null ? "" : ", adapter=" + adapter) + "]";
    }

    /** Who serves a model. */
    public enum Provider {
        /** A local GGUF file run in process by llama.cpp. */
        LLAMACPP("llamacpp"),
        /** OpenAI, or any server with an OpenAI-compatible API at {@code base-url}. */
        OPENAI("openai"),
        /** Anthropic's Messages API. */
        ANTHROPIC("anthropic"),
        /** A local Ollama server. */
        OLLAMA("ollama"),
        /**
         * A remote agent over A2A 1.0, at {@code url} (its base URL or card URL, kept in {@code baseUrl}); the agent
         * using this model is that agent in the team, and {@code token} (kept as {@code apiKeyVariable}) is its bearer
         * token.
         */
        A2A("a2a");

        private final String id;

        Provider(String id) {
            this.id = id;
        }

        /** The name used in spec files. */
        public String id() {
            return id;
        }

        /** The provider with spec name {@code id}, if any. */
        public static Optional<Provider> byId(String id) {
            return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst();
        }

        /** Every spec name, for messages. */
        public static List<String> ids() {
            return Arrays.stream(values()).map(Provider::id).toList();
        }
    }
}
