package io.troupe.runtime.internal.state;

import io.troupe.api.protocol.Message;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One closed turn in an agent's memory: the notices it perceived, the request it answered and its answer. Memory
 * holds messages, not prompt text; the perceive phase renders them into a prompt.
 *
 * @param turnId the turn, whose interception keys say how each message was perceived
 * @param inbox the notices perceived before the request
 * @param request the message answered
 * @param responseSchema the schema the answer had to follow, or null
 * @param reply the answer, as sent
 */
public record Exchange(
        String turnId,
        List<Message> inbox,
        Message request,
        @Nullable String responseSchema,
        Message reply) {
    public Exchange {
        inbox = List.copyOf(inbox);
    }
}
