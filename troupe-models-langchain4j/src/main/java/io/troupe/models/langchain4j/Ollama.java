package io.troupe.models.langchain4j;

import io.troupe.api.ConfigurationException;
import io.troupe.api.model.LanguageModel;
import java.util.List;

/**
 * Local models served by Ollama's {@code /api/chat}.
 *
 * <p>Tools go out as {@code tools}; a response schema goes out as {@code format}. Ollama gives tool calls no ids, so
 * they are numbered {@code call_0}, {@code call_1}… in the order the model made them. No key is needed; one set with
 * {@link Builder#apiKey(ApiKey)} is sent as a bearer token, for Ollama behind an authenticating proxy.
 *
 * <pre>{@code
 * LanguageModel qwen = Ollama.builder().model("qwen2.5:0.5b").build();
 * }</pre>
 */
public final class Ollama {
    /** A local Ollama's address, the default base URL. */
    public static final String OLLAMA_BASE_URL = "http://localhost:11434";

    private Ollama() {}

    /** A builder with the base URL of a local Ollama. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings for an Ollama model. Not thread-safe. */
    public static final class Builder extends ProviderBuilder<Builder> {
        Builder() {
            super("Ollama", OLLAMA_BASE_URL);
        }

        @Override
        public LanguageModel build() {
            List<String> problems = problems(false, "OLLAMA_API_KEY");
            ConfigurationException.throwIfAny("Invalid Ollama model settings", problems);
            ProviderBuilder.requireOnClasspath(
                    "dev.langchain4j.model.ollama.OllamaChatModel", "langchain4j-ollama", "Ollama");
            return OllamaClients.build(this);
        }
    }
}
