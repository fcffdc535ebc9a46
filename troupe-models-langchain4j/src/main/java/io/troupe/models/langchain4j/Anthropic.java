package io.troupe.models.langchain4j;

import io.troupe.api.ConfigurationException;
import io.troupe.api.model.LanguageModel;
import java.util.List;

/**
 * Claude models through Anthropic's Messages API.
 *
 * <p>Tools go out as {@code tools} with an {@code input_schema}; a response schema goes out as {@code
 * output_config.format} of type {@code json_schema}. Anthropic requires {@code max_tokens}, so it defaults to {@link
 * #DEFAULT_MAX_OUTPUT_TOKENS}. The key is sent in the {@code x-api-key} header and is required.
 *
 * <pre>{@code
 * LanguageModel claude = Anthropic.builder()
 *         .model("claude-sonnet-4-5")
 *         .apiKey(ApiKey.fromEnv("ANTHROPIC_API_KEY"))
 *         .build();
 * }</pre>
 */
public final class Anthropic {
    /** Anthropic's endpoint, the default base URL. */
    public static final String ANTHROPIC_BASE_URL = "https://api.anthropic.com/v1/";

    /** The {@code max_tokens} sent when {@link Builder#maxOutputTokens(int)} is not set. */
    public static final int DEFAULT_MAX_OUTPUT_TOKENS = 4096;

    private Anthropic() {}

    /** A builder with Anthropic's base URL. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings for an Anthropic model. Not thread-safe. */
    public static final class Builder extends ProviderBuilder<Builder> {
        Builder() {
            super("Anthropic", ANTHROPIC_BASE_URL);
        }

        @Override
        public LanguageModel build() {
            List<String> problems = problems(true, "ANTHROPIC_API_KEY");
            ConfigurationException.throwIfAny("Invalid Anthropic model settings", problems);
            ProviderBuilder.requireOnClasspath(
                    "dev.langchain4j.model.anthropic.AnthropicChatModel", "langchain4j-anthropic", "Anthropic");
            return AnthropicClients.build(this);
        }
    }
}
