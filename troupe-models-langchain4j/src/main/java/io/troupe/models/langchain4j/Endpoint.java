package io.troupe.models.langchain4j;

import org.jspecify.annotations.Nullable;

/**
 * Which provider, model and server an adapter talks to, for messages and {@code toString()}.
 *
 * @param provider the provider's display name, e.g. "OpenAI-compatible"
 * @param model the model name sent to the provider
 * @param baseUrl the server's base URL
 * @param apiKey the key, or null when the server needs none
 * @param notFoundHint what to do about an HTTP 404, specific to the provider
 * @param maxOutputTokens the model's own answer limit, as configured, or null for the provider's default
 */
record Endpoint(
        String provider,
        String model,
        String baseUrl,
        @Nullable ApiKey apiKey,
        String notFoundHint,
        @Nullable Integer maxOutputTokens) {

    /** "OpenAI-compatible model 'gpt-4o' at https://api.openai.com/v1". */
    String describe() {
        return provider + " model '" + model + "' at " + baseUrl;
    }

    /** What to do about an HTTP 401 or 403. */
    String keyHint() {
        if (apiKey == null) {
            return "this model is configured without an API key; set one with apiKey(ApiKey.fromEnv(...))";
        }
        return "check the API key in " + apiKey.source();
    }

    /** {@code text} with the API key, if any, redacted. */
    String redact(String text) {
        return apiKey == null ? text : apiKey.redact(text);
    }

    /** Whether {@code text} contains the API key. */
    boolean revealsKey(@Nullable String text) {
        return apiKey != null && apiKey.appearsIn(text);
    }
}
