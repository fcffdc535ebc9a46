package io.troupe.models.langchain4j;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import io.troupe.api.model.LanguageModel;
import java.util.Map;

/**
 * Builds the LangChain4j clients of {@link Ollama}. A class of its own, so that {@link Ollama} loads without
 * {@code dev.langchain4j:langchain4j-ollama} on the classpath, and says what to add when it is missing. Stateless.
 */
final class OllamaClients {
    private OllamaClients() {}

    static LanguageModel build(Ollama.Builder builder) {
        String secret = builder.secret();
        Map<String, String> headers = secret == null ? Map.of() : Map.of("Authorization", "Bearer " + secret);
        JdkClients clients = new JdkClients(builder.baseUrl());
        OllamaChatModel chat = OllamaChatModel.builder()
                .httpClientBuilder(clients.builder())
                .baseUrl(builder.baseUrl())
                .modelName(builder.model())
                .timeout(builder.timeout())
                .numPredict(builder.maxOutputTokens())
                .temperature(builder.temperature())
                .customHeaders(headers)
                .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA)
                .logRequests(false)
                .logResponses(false)
                .maxRetries(0) // Troupe's resilience layer retries; never stack two
                .build();
        OllamaStreamingChatModel streaming = OllamaStreamingChatModel.builder()
                .httpClientBuilder(clients.builder())
                .baseUrl(builder.baseUrl())
                .modelName(builder.model())
                .timeout(builder.timeout())
                .numPredict(builder.maxOutputTokens())
                .temperature(builder.temperature())
                .customHeaders(headers)
                .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA)
                .logRequests(false)
                .logResponses(false)
                .build();
        Endpoint endpoint = new Endpoint(
                builder.provider(),
                builder.model(),
                builder.baseUrl(),
                builder.apiKey(),
                "Ollama at " + builder.baseUrl() + " has no model '" + builder.model() + "'; run `ollama pull "
                        + builder.model() + "`",
                builder.maxOutputTokens());
        return new LangChain4jModel(endpoint, chat, streaming, builder.prices());
    }
}
