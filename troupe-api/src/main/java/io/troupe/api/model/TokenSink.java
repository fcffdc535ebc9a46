package io.troupe.api.model;

/**
 * Receives text from a streaming model as it is generated. Called from the model's thread, one call at a time.
 */
@FunctionalInterface
public interface TokenSink {
    /** A sink that drops every token. */
    TokenSink NONE = token -> {};

    /** Called with the next piece of generated text, in order. */
    void onToken(String token);
}
