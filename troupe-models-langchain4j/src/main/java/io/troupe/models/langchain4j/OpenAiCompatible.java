package io.troupe.models.langchain4j;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.troupe.api.ConfigurationException;
import io.troupe.api.model.LanguageModel;
import java.util.List;

/**
 * Models behind the OpenAI chat-completions API: OpenAI itself, Azure OpenAI (its {@code /openai/v1} endpoint), vLLM,
 * the llama.cpp server, LM Studio, DeepSeek and Qwen's compatible mode.
 *
 * <p>Tools go out as {@code tools} of type {@code function}; a response schema goes out as {@code response_format} of
 * type {@code json_schema} (not strict, so the schema is sent as written). Local servers usually need no key; then
 * no {@code Authorization} header is sent.
 *
 * <pre>{@code
 * LanguageModel gpt = OpenAiCompatible.builder()
 *         .model("gpt-4o-mini")
 *         .apiKey(ApiKey.fromEnv("OPENAI_API_KEY"))
 *         .build();
 * LanguageModel local = OpenAiCompatible.builder().baseUrl("http://localhost:8000/v1").model("qwen2.5").build();
 * }</pre>
 */
public final class OpenAiCompatible {
    /** OpenAI's own endpoint, the default base URL. */
    public static final String OPENAI_BASE_URL = "https://api.openai.com/v1";

    private OpenAiCompatible() {}

    /** A builder with the base URL of OpenAI itself. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings for an OpenAI-compatible model. Not thread-safe. */
    public static final class Builder extends ProviderBuilder<Builder> {
        Builder() {
            super("OpenAiCompatible", OPENAI_BASE_URL);
        }

        @Override
        public LanguageModel build() {
            List<String> problems = problems(false, "OPENAI_API_KEY");
            ConfigurationException.throwIfAny("Invalid OpenAiCompatible model settings", problems);
            JdkClients clients = new JdkClients(baseUrl());
            OpenAiChatModel chat = OpenAiChatModel.builder()
                    .httpClientBuilder(clients.builder())
                    .baseUrl(baseUrl())
                    .apiKey(secret())
                    .modelName(model())
                    .timeout(timeout())
                    .maxTokens(maxOutputTokens())
                    .temperature(temperature())
                    .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA)
                    .maxRetries(0) // Troupe's resilience layer retries; never stack two
                    .logRequests(false)
                    .logResponses(false)
                    .build();
            OpenAiStreamingChatModel streaming = OpenAiStreamingChatModel.builder()
                    .httpClientBuilder(clients.builder())
                    .baseUrl(baseUrl())
                    .apiKey(secret())
                    .modelName(model())
                    .timeout(timeout())
                    .maxTokens(maxOutputTokens())
                    .temperature(temperature())
                    .logRequests(false)
                    .logResponses(false)
                    .build();
            Endpoint endpoint = new Endpoint(
                    provider(),
                    model(),
                    baseUrl(),
                    apiKey(),
                    "no model '" + model() + "' or no chat-completions endpoint at " + baseUrl()
                            + "; check the model name and that the base URL ends where /chat/completions starts"
                            + " (usually /v1)",
                    maxOutputTokens());
            return new LangChain4jModel(endpoint, chat, streaming, prices());
        }
    }
}
