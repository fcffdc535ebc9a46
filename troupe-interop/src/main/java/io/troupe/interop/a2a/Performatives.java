package io.troupe.interop.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Performative;
import io.troupe.interop.a2a.wire.A2aMessage;
import io.troupe.interop.a2a.wire.AgentCard;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Troupe's A2A extension: FIPA performatives over A2A, so that negotiation (contract-net, auctions) can include
 * agents in other processes and frameworks. Declared in an Agent Card's {@code capabilities.extensions} under
 * {@link #URI}; a message that uses it lists the URI in {@code extensions} and carries an {@link Envelope} in
 * {@code metadata[URI]}. Structured payloads (a bid, a plan) travel in {@code data} parts.
 *
 * <table>
 *   <caption>How performatives map onto A2A</caption>
 *   <tr><th>performative</th><th>on the wire</th></tr>
 *   <tr><td>REQUEST, QUERY</td><td>a message that creates a task</td></tr>
 *   <tr><td>INFORM</td><td>an artifact, then the task COMPLETED</td></tr>
 *   <tr><td>FAILURE</td><td>the task FAILED, with the reason as status message</td></tr>
 *   <tr><td>REFUSE</td><td>the task REJECTED, with the reason as status message</td></tr>
 *   <tr><td>CANCEL</td><td>{@code CancelTask}</td></tr>
 *   <tr><td>CFP</td><td>a message with the call's data part; it creates a task</td></tr>
 *   <tr><td>PROPOSE</td><td>the task INPUT_REQUIRED, its status message carrying the bid as a data part</td></tr>
 *   <tr><td>ACCEPT</td><td>a follow-up message on the proposal's task; the work ends in INFORM or FAILURE</td></tr>
 *   <tr><td>REJECT</td><td>a follow-up message on the proposal's task; the task is CANCELED</td></tr>
 * </table>
 */
public final class Performatives {
    /** The extension's URI. */
    public static final String URI = "https://troupe.io/a2a/extensions/performatives/v1";

    /**
     * The schema of a bid when a CFP names none: {@code cost} (US dollars), {@code eta}, {@code confidence} (0 to 1),
     * {@code rationale}, and {@code refuse: true} to decline. The same as Troupe's contract-net bid.
     */
    public static final String BID_SCHEMA = """
            {"type":"object",\
            "properties":{\
            "cost":{"type":"number","minimum":0,"description":"price asked to do the task, in US dollars"},\
            "eta":{"type":"string","description":"time needed, e.g. 2h"},\
            "confidence":{"type":"number","minimum":0,"maximum":1,"description":"chance of success, 0 to 1"},\
            "rationale":{"type":"string","description":"why this bid, in one sentence"},\
            "refuse":{"type":"boolean","description":"true to decline the task"}},\
            "required":["cost","eta","confidence","rationale"],\
            "additionalProperties":false}""";

    private Performatives() {}

    /**
     * The extension's metadata on one message: FIPA's message parameters.
     *
     * @param performative what the message does
     * @param conversationId the conversation (on the caller's side, its run) the message belongs to
     * @param replyWith the id the answer should quote in {@code inReplyTo}
     * @param inReplyTo the {@code replyWith} of the message this one answers
     * @param replyBy when an answer is no longer useful
     * @param responseSchema the JSON schema the answer's data part must follow (a CFP's bid), or null
     * @param usage what answering cost the agent (on an agent's message), or null
     */
    public record Envelope(
            Performative performative,
            @Nullable String conversationId,
            @Nullable String replyWith,
            @Nullable String inReplyTo,
            @Nullable Instant replyBy,
            @Nullable JsonNode responseSchema,
            @Nullable Usage usage) {

        /** An envelope with only a performative. */
        public static Envelope of(Performative performative) {
            return new Envelope(performative, null, null, null, null, null, null);
        }

        /** This envelope with {@code usage}. */
        public Envelope withUsage(@Nullable Usage usage) {
            return new Envelope(performative, conversationId, replyWith, inReplyTo, replyBy, responseSchema, usage);
        }

        /** The metadata object: {@code {URI: {...}}}. */
        public ObjectNode toMetadata(ObjectMapper json) {
            ObjectNode metadata = json.createObjectNode();
            ObjectNode envelope = metadata.putObject(URI);
            envelope.put("performative", performative.name());
            putIfPresent(envelope, "conversationId", conversationId);
            putIfPresent(envelope, "replyWith", replyWith);
            putIfPresent(envelope, "inReplyTo", inReplyTo);
            putIfPresent(envelope, "replyBy", replyBy == null ? null : A2a.timestamp(replyBy));
            if (responseSchema != null) {
                envelope.set("responseSchema", responseSchema);
            }
            if (usage != null) {
                ObjectNode spent = envelope.putObject("usage");
                spent.put("inputTokens", usage.inputTokens());
                spent.put("outputTokens", usage.outputTokens());
                spent.put("costUsd", usage.cost());
            }
            return metadata;
        }

        private static void putIfPresent(ObjectNode node, String key, @Nullable String value) {
            if (value != null) {
                node.put(key, value);
            }
        }
    }

    /** The envelope in {@code metadata}, if it has a well-formed one. */
    public static @Nullable Envelope read(@Nullable JsonNode metadata) {
        if (metadata == null) {
            return null;
        }
        JsonNode envelope = metadata.get(URI);
        if (envelope == null || !envelope.isObject()) {
            return null;
        }
        Performative performative = performative(envelope.path("performative").asText(""));
        if (performative == null) {
            return null;
        }
        Instant replyBy = null;
        String by = text(envelope, "replyBy");
        if (by != null) {
            try {
                replyBy = Instant.parse(by);
            } catch (DateTimeParseException e) {
                replyBy = null;
            }
        }
        JsonNode schema = envelope.get("responseSchema");
        return new Envelope(
                performative,
                text(envelope, "conversationId"),
                text(envelope, "replyWith"),
                text(envelope, "inReplyTo"),
                replyBy,
                schema != null && schema.isObject() ? schema : null,
                usage(envelope.get("usage")));
    }

    /** The envelope of {@code message}, if it has one. */
    public static @Nullable Envelope read(A2aMessage message) {
        return read(message.metadata());
    }

    /** The performative named {@code name} (any case), or null. */
    public static @Nullable Performative performative(String name) {
        try {
            return Performative.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The extension as declared in a card. */
    public static AgentCard.Extension declaration() {
        return new AgentCard.Extension(
                URI,
                "FIPA performatives (REQUEST, CFP, PROPOSE, ACCEPT, REJECT, INFORM, FAILURE, REFUSE, CANCEL) in"
                        + " message metadata, so that this agent can bid in contract-nets and auctions",
                false,
                null);
    }

    private static @Nullable Usage usage(@Nullable JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        long input = usage.path("inputTokens").asLong(0);
        long output = usage.path("outputTokens").asLong(0);
        BigDecimal cost =
                usage.path("costUsd").isNumber() ? usage.path("costUsd").decimalValue() : BigDecimal.ZERO;
        if (input < 0 || output < 0 || cost.signum() < 0) {
            return null;
        }
        return new Usage(input, output, cost);
    }

    private static @Nullable String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
