package io.troupe.models.langchain4j;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.Capability;
import io.troupe.api.model.LanguageModel;

/**
 * Builds the LangChain4j clients of {@link Anthropic}. A class of its own, so that {@link Anthropic} loads without
 * {@code dev.langchain4j:langchain4j-anthropic} on the classpath, and says what to add when it is missing. Stateless.
 */
final class AnthropicClients {
    private AnthropicClients() {}

    static LanguageModel build(Anthropic.Builder builder) {
        int maxTokens =
                builder.maxOutputTokens() == null ? Anthropic.DEFAULT_MAX_OUTPUT_TOKENS : builder.maxOutputTokens();
        JdkClients clients = new JdkClients(builder.baseUrl());
        AnthropicChatModel chat = AnthropicChatModel.builder()
                .httpClientBuilder(clients.builder())
                .baseUrl(builder.baseUrl())
                .apiKey(builder.secret())
                .modelName(builder.model())
                .timeout(builder.timeout())
                .maxTokens(maxTokens)
                .temperature(builder.temperature())
                .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA)
                .maxRetries(0) // Troupe's resilience layer retries; never stack two
                .logRequests(false)
                .logResponses(false)
                .build();
        AnthropicStreamingChatModel streaming = AnthropicStreamingChatModel.builder()
                .httpClientBuilder(clients.builder())
                .baseUrl(builder.baseUrl())
                .apiKey(builder.secret())
                .modelName(builder.model())
                .timeout(builder.timeout())
                .maxTokens(maxTokens)
                .temperature(builder.temperature())
                .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA)
                .logRequests(false)
                .logResponses(false)
                .build();
        Endpoint endpoint = new Endpoint(
                builder.provider(),
                builder.model(),
                builder.baseUrl(),
                builder.apiKey(),
                "Anthropic has no model '" + builder.model() + "'; check the model name (e.g. claude-sonnet-4-5) and"
                        + " that the base URL ends in /v1/",
                maxTokens);
        return new LangChain4jModel(endpoint, chat, streaming, builder.prices());
    }
}
