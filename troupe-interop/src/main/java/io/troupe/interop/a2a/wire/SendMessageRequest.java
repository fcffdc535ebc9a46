package io.troupe.interop.a2a.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The parameters of {@code SendMessage} and {@code SendStreamingMessage}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SendMessageRequest(
        @Nullable String tenant,
        @Nullable A2aMessage message,
        @Nullable Configuration configuration,
        @Nullable ObjectNode metadata) {

    /**
     * How to answer.
     *
     * @param acceptedOutputModes the media types the client takes, or null for any
     * @param taskPushNotificationConfig a webhook to notify (not supported by Troupe)
     * @param historyLength the most history messages in the returned task, or null for all
     * @param returnImmediately whether to return at once rather than when the task ends or needs input
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Configuration(
            @Nullable List<String> acceptedOutputModes,
            @Nullable JsonNode taskPushNotificationConfig,
            @Nullable Integer historyLength,
            @Nullable Boolean returnImmediately) {}

    /** A request that sends {@code message}. */
    public static SendMessageRequest of(A2aMessage message) {
        return new SendMessageRequest(null, message, null, null);
    }

    /** This request, returning at once. */
    public SendMessageRequest returningImmediately() {
        return new SendMessageRequest(
                tenant,
                message,
                new Configuration(
                        configuration == null ? null : configuration.acceptedOutputModes(),
                        null,
                        configuration == null ? null : configuration.historyLength(),
                        true),
                metadata);
    }
}
