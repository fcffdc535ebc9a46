package io.troupe.api.protocol;

import io.troupe.api.Checks;
import io.troupe.api.ConfigurationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One message between agents in a conversation.
 *
 * <p>A message has a {@link Performative}, a natural-language {@code body} for the models, an optional JSON
 * {@code payload} for programs, a reply chain ({@code inReplyTo}) and an optional {@code deadline}. Messages are
 * immutable values; they are journaled as they are sent, and a replay returns them unchanged.
 *
 * <p>Build one with {@link #builder()}, or answer one with {@link #reply}. The sender is an agent id or
 * {@link #COORDINATOR}, the team's collaboration mechanism.
 *
 * @param id unique within the conversation
 * @param conversationId the run this message belongs to
 * @param inReplyTo the id of the message this one answers, or null if it starts a thread
 * @param sender the sending agent's id, or {@link #COORDINATOR}
 * @param receivers who the message is for
 * @param performative what the message does
 * @param body the natural-language content; may be empty but not null
 * @param payload a JSON document for programs, or null; the runtime checks that it is well-formed
 * @param deadline when an answer is no longer useful, or null for none
 */
public record Message(
        String id,
        String conversationId,
        @Nullable String inReplyTo,
        String sender,
        Receivers receivers,
        Performative performative,
        String body,
        @Nullable String payload,
        @Nullable Instant deadline) {

    /** The sender id of messages that the team's collaboration mechanism sends. */
    public static final String COORDINATOR = "@team";

    public Message {
        Checks.notBlank(id, "Message id");
        Checks.notBlank(conversationId, "Message conversationId");
        if (inReplyTo != null) {
            Checks.notBlank(inReplyTo, "Message inReplyTo");
        }
        Checks.notNull(sender, "Message sender");
        if (!COORDINATOR.equals(sender)) {
            Checks.name(sender, "Message sender");
        }
        Checks.notNull(receivers, "Message receivers");
        Checks.notNull(performative, "Message performative");
        Checks.notNull(body, "Message body");
        if (payload != null) {
            Checks.notBlank(payload, "Message payload");
        }
    }

    /** A builder for a new message; {@code build()} reports every missing or invalid field at once. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * An answer to this message from {@code sender}, addressed to this message's sender and in the same
     * conversation, with a fresh id and no deadline.
     */
    public Message reply(String sender, Performative performative, String body, @Nullable String payload) {
        return new Message(
                UUID.randomUUID().toString(),
                conversationId,
                id,
                sender,
                Receivers.agents(this.sender),
                performative,
                body,
                payload,
                null);
    }

    /** Whether {@code now} is past this message's deadline; false when it has none. */
    public boolean isExpired(Instant now) {
        return deadline != null && now.isAfter(deadline);
    }

    /** Builds a {@link Message}; every setter returns a new builder, so a builder can be shared as a template. */
    public static final class Builder {
        private final @Nullable String id;
        private final @Nullable String conversationId;
        private final @Nullable String inReplyTo;
        private final @Nullable String sender;
        private final @Nullable Receivers receivers;
        private final @Nullable Performative performative;
        private final String body;
        private final @Nullable String payload;
        private final @Nullable Instant deadline;
        private final String @Nullable [] agentIds;

        private Builder() {
            this(null, null, null, null, null, null, "", null, null);
        }

        private Builder(
                @Nullable String id,
                @Nullable String conversationId,
                @Nullable String inReplyTo,
                @Nullable String sender,
                @Nullable Receivers receivers,
                @Nullable Performative performative,
                String body,
                @Nullable String payload,
                @Nullable Instant deadline) {
            this(id, conversationId, inReplyTo, sender, receivers, performative, body, payload, deadline, null);
        }

        private Builder(
                @Nullable String id,
                @Nullable String conversationId,
                @Nullable String inReplyTo,
                @Nullable String sender,
                @Nullable Receivers receivers,
                @Nullable Performative performative,
                String body,
                @Nullable String payload,
                @Nullable Instant deadline,
                String @Nullable [] agentIds) {
            this.id = id;
            this.conversationId = conversationId;
            this.inReplyTo = inReplyTo;
            this.sender = sender;
            this.receivers = receivers;
            this.performative = performative;
            this.body = body;
            this.payload = payload;
            this.deadline = deadline;
            this.agentIds = agentIds;
        }

        /** Sets the id; a random UUID when not set. */
        public Builder id(String id) {
            return new Builder(
                    id, conversationId, inReplyTo, sender, receivers, performative, body, payload, deadline, agentIds);
        }

        public Builder conversationId(String conversationId) {
            return new Builder(
                    id, conversationId, inReplyTo, sender, receivers, performative, body, payload, deadline, agentIds);
        }

        public Builder inReplyTo(@Nullable String inReplyTo) {
            return new Builder(
                    id, conversationId, inReplyTo, sender, receivers, performative, body, payload, deadline, agentIds);
        }

        public Builder sender(String sender) {
            return new Builder(
                    id, conversationId, inReplyTo, sender, receivers, performative, body, payload, deadline, agentIds);
        }

        public Builder to(Receivers receivers) {
            return new Builder(
                    id, conversationId, inReplyTo, sender, receivers, performative, body, payload, deadline, null);
        }

        /** Addresses the given agents by id; the ids are checked by {@link #build()}. */
        public Builder to(String... agentIds) {
            return new Builder(
                    id, conversationId, inReplyTo, sender, null, performative, body, payload, deadline, agentIds);
        }

        public Builder performative(Performative performative) {
            return new Builder(
                    id, conversationId, inReplyTo, sender, receivers, performative, body, payload, deadline, agentIds);
        }

        public Builder body(String body) {
            return new Builder(
                    id, conversationId, inReplyTo, sender, receivers, performative, body, payload, deadline, agentIds);
        }

        public Builder payload(@Nullable String payload) {
            return new Builder(
                    id, conversationId, inReplyTo, sender, receivers, performative, body, payload, deadline, agentIds);
        }

        public Builder deadline(@Nullable Instant deadline) {
            return new Builder(
                    id, conversationId, inReplyTo, sender, receivers, performative, body, payload, deadline, agentIds);
        }

        /**
         * Builds the message.
         *
         * @throws ConfigurationException listing every missing or invalid field
         */
        public Message build() {
            List<String> problems = new ArrayList<>();
            if (id != null && id.isBlank()) {
                problems.add("id is blank: leave it unset for a random id");
            }
            if (inReplyTo != null && inReplyTo.isBlank()) {
                problems.add("inReplyTo is blank: pass null for a message that starts a thread");
            }
            if (body == null) {
                problems.add("body is null: pass \"\" for an empty body");
            }
            Receivers to = receivers;
            if (agentIds != null) {
                try {
                    to = new Receivers.Agents(java.util.Arrays.asList(agentIds));
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
            if (conversationId == null || conversationId.isBlank()) {
                problems.add("conversationId is missing");
            }
            if (sender == null) {
                problems.add("sender is missing");
            } else if (!COORDINATOR.equals(sender) && !Checks.isName(sender)) {
                problems.add(Checks.nameProblem(sender, "sender"));
            }
            if (to == null && agentIds == null) {
                problems.add("receivers are missing: call to(...)");
            }
            if (performative == null) {
                problems.add("performative is missing");
            }
            if (payload != null && payload.isBlank()) {
                problems.add("payload is blank: pass null for no payload");
            }
            ConfigurationException.throwIfAny("Invalid message", problems);
            return new Message(
                    Objects.requireNonNullElseGet(id, () -> UUID.randomUUID().toString()),
                    conversationId,
                    inReplyTo,
                    sender,
                    to,
                    performative,
                    body,
                    payload,
                    deadline);
        }
    }
}
