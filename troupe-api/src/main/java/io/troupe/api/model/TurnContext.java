package io.troupe.api.model;

import io.troupe.api.Checks;
import io.troupe.api.protocol.Message;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The team turn a model call belongs to: the message the agent answers and the notices it perceived, as messages
 * rather than rendered prompt text. Most models ignore it and read {@link ModelRequest#messages()}; a model that
 * stands for a remote agent (an A2A member) needs it to carry the performative, the conversation and the reply chain
 * across the wire.
 *
 * @param agentId the member taking the turn
 * @param request the message the turn answers, as the agent perceived it (after the INCOMING interceptors)
 * @param inbox the notices the agent perceived in this turn, oldest first
 * @param repliedTo the messages that {@code request} and the notices answer ({@link Message#inReplyTo()}), when
 *     they are in the run: the PROPOSE that an ACCEPT accepts or a REJECT rejects; in the order first referred to
 */
public record TurnContext(String agentId, Message request, List<Message> inbox, List<Message> repliedTo) {
    public TurnContext {
        Checks.notBlank(agentId, "TurnContext agentId");
        Checks.notNull(request, "TurnContext request");
        inbox = Checks.list(inbox, "TurnContext inbox");
        repliedTo = Checks.list(repliedTo, "TurnContext repliedTo");
    }

    /** The message with id {@code id} among {@link #repliedTo()}, if it is there. */
    public java.util.Optional<Message> repliedTo(@Nullable String id) {
        return id == null
                ? java.util.Optional.empty()
                : repliedTo.stream().filter(m -> m.id().equals(id)).findFirst();
    }
}
