package io.troupe.models.langchain4j;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import io.troupe.api.ConfigurationException;
import io.troupe.api.model.LanguageModel;
import java.util.List;
import java.util.Map;

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
            String secret = secret();
            Map<String, String> headers = secret == null ? Map.of() : Map.of("Authorization", "Bearer " + secret);
            OllamaChatModel chat = OllamaChatModel.builder()
                    .httpClientBuilder(RetryAfterHttpClient.builder())
                    .baseUrl(baseUrl())
                    .modelName(model())
                    .timeout(timeout())
                    .numPredict(maxOutputTokens())
                    .temperature(temperature())
                    .customHeaders(headers)
                    .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA)
                    .logRequests(false)
                    .logResponses(false)
                    .maxRetries(0) // Troupe's resilience layer retries; never stack two
                    .build();
            OllamaStreamingChatModel streaming = OllamaStreamingChatModel.builder()
                    .httpClientBuilder(RetryAfterHttpClient.builder())
                    .baseUrl(baseUrl())
                    .modelName(model())
                    .timeout(timeout())
                    .numPredict(maxOutputTokens())
                    .temperature(temperature())
                    .customHeaders(headers)
                    .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA)
                    .logRequests(false)
                    .logResponses(false)
                    .build();
            Endpoint endpoint = new Endpoint(
                    provider(),
                    model(),
                    baseUrl(),
                    apiKey(),
                    "Ollama at " + baseUrl() + " has no model '" + model() + "'; run `ollama pull " + model() + "`");
            return new LangChain4jModel(endpoint, chat, streaming, prices());
        }
    }
}
