package io.troupe.interop.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.api.protocol.Performative;
import io.troupe.interop.a2a.wire.A2aMessage;
import io.troupe.interop.a2a.wire.Part;
import io.troupe.interop.a2a.wire.Role;
import io.troupe.interop.a2a.wire.SendMessageRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A client's message as an {@link A2aService} takes it: the checks a {@code SendMessage} request must pass (a message
 * with an id, from the user, of text and data parts, asking for output the agent gives), the JSON of its data parts,
 * and the run it asks for ({@link TaskRuns.Launch}). Pure functions.
 */
final class ClientMessages {
    private static final Set<String> OUTPUT_MODES = Set.of("text/plain", "application/json", "*/*", "text/*");

    private ClientMessages() {}

    /**
     * The request's message, once the request is one this agent can answer.
     *
     * @throws A2aError invalid params (every problem of the message at once), or content type not supported
     */
    static A2aMessage validate(SendMessageRequest request) {
        A2aMessage message = request.message();
        if (message == null) {
            throw A2aError.invalidParam("message", "is required");
        }
        Map<String, String> problems = new LinkedHashMap<>();
        if (message.messageId() == null || message.messageId().isBlank()) {
            problems.put("message.messageId", "is required: a unique id the client makes (a UUID)");
        }
        if (message.role() != Role.ROLE_USER) {
            problems.put("message.role", "must be ROLE_USER for a message from the client, got " + message.role());
        }
        if (message.parts() == null || message.parts().isEmpty()) {
            problems.put("message.parts", "at least one part is required");
        } else {
            for (int i = 0; i < message.parts().size(); i++) {
                Part part = message.parts().get(i);
                if (part.contentCount() != 1) {
                    problems.put(
                            "message.parts[" + i + "]",
                            "must have exactly one of text, raw, url and data, got " + part.contentCount());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw A2aError.invalidParams(problems);
        }
        for (Part part : message.parts()) {
            if (part.raw() != null || part.url() != null) {
                throw A2aError.contentTypeNotSupported("This agent reads text and data parts only, not files ("
                        + (part.mediaType() == null ? "a file part" : part.mediaType())
                        + "); send the content as text, or as JSON in a data part");
            }
        }
        SendMessageRequest.Configuration configuration = request.configuration();
        if (configuration != null) {
            List<String> accepted = configuration.acceptedOutputModes();
            if (accepted != null && !accepted.isEmpty() && accepted.stream().noneMatch(OUTPUT_MODES::contains)) {
                throw A2aError.contentTypeNotSupported("This agent answers in text/plain and application/json only,"
                        + " and acceptedOutputModes allows neither: " + accepted);
            }
            if (configuration.historyLength() != null && configuration.historyLength() < 0) {
                throw A2aError.invalidParam(
                        "configuration.historyLength", "must not be negative, got " + configuration.historyLength());
            }
        }
        return message;
    }

    /** The JSON of the message's data parts: the one value, or an array of them; null when it has none. */
    static @Nullable String data(A2aMessage message, ObjectMapper json) {
        List<JsonNode> data = new ArrayList<>();
        for (Part part : message.parts()) {
            if (part.data() != null) {
                data.add(part.data());
            }
        }
        if (data.isEmpty()) {
            return null;
        }
        return data.size() == 1
                ? data.getFirst().toString()
                : json.valueToTree(data).toString();
    }

    /**
     * The run {@code message} asks for.
     *
     * @param envelope the message's performatives envelope, or null when the client does not use the extension
     * @param performative what the run answers
     * @param text the run's task
     * @param payload the data the run gets, or null
     */
    static TaskRuns.Launch launch(
            A2aMessage message,
            Performatives.@Nullable Envelope envelope,
            Performative performative,
            String text,
            @Nullable String payload) {
        return new TaskRuns.Launch(
                performative,
                envelope != null,
                text,
                payload,
                envelope == null || envelope.responseSchema() == null
                        ? null
                        : envelope.responseSchema().toString(),
                envelope == null ? null : envelope.replyBy(),
                envelope == null ? null : envelope.replyWith(),
                envelope == null ? null : envelope.conversationId(),
                message.messageId());
    }
}
