package io.troupe.guard.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The canonical JSON form of audit entries and their hashes. The hash covers the entry's canonical JSON without
 * its {@code hash} field (fields in a fixed order, no whitespace), and that JSON holds the previous entry's hash,
 * so that changing, removing or moving any entry breaks the chain from there on. The {@code alg} field says how the
 * chain is hashed, so that a keyed log cannot be passed off as a plain one.
 */
final class AuditCodec {
    static final String SHA256 = "sha256";
    static final String HMAC = "hmac-sha256";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ENTRY_FIELDS =
            Set.of("seq", "time", "run", "index", "alg", "type", "event", "prev", "hash");

    private final byte @Nullable [] key;

    AuditCodec(byte @Nullable [] key) {
        this.key = key == null ? null : key.clone();
    }

    /** The chaining algorithm of this codec. */
    String algorithm() {
        return key == null ? SHA256 : HMAC;
    }

    /** The entry with its hash computed. */
    AuditEntry seal(long seq, Instant time, String runId, long index, AuditEvent event, String previousHash) {
        String body =
                body(seq, time, runId, index, algorithm(), event, previousHash).toString();
        return new AuditEntry(seq, time, runId, index, event, previousHash, hash(body));
    }

    /** The line stored for {@code entry}. */
    String encode(AuditEntry entry) {
        ObjectNode node = body(
                entry.seq(),
                entry.time(),
                entry.runId(),
                entry.index(),
                algorithm(),
                entry.event(),
                entry.previousHash());
        node.put("hash", entry.hash());
        return node.toString();
    }

    /** The entry in {@code line}, and whether its hash matches its content. */
    record Decoded(AuditEntry entry, boolean hashMatches) {}

    /** Reads a line; throws {@link IllegalArgumentException} with a reason when it is not an audit entry of this chain. */
    Decoded decode(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!ENTRY_FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'");
            }
        }
        String alg = text(node, "alg");
        if (!alg.equals(algorithm())) {
            throw new IllegalArgumentException(
                    alg.equals(HMAC)
                            ? "the log is chained with HMAC-SHA256: verify it with its key"
                            : "the entry is chained with " + alg + " where a keyed (HMAC-SHA256) chain was expected");
        }
        long seq = node.path("seq").asLong(-1);
        long index = node.path("index").asLong(-1);
        Instant time;
        try {
            time = Instant.parse(text(node, "time"));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("invalid time");
        }
        AuditEvent event;
        try {
            event = event(text(node, "type"), node.path("event"));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("invalid event: " + e.getMessage());
        }
        AuditEntry entry =
                new AuditEntry(seq, time, text(node, "run"), index, event, text(node, "prev"), text(node, "hash"));
        String body = body(seq, time, entry.runId(), index, alg, event, entry.previousHash())
                .toString();
        return new Decoded(entry, hash(body).equals(entry.hash()));
    }

    private String hash(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (key == null) {
            return HexFormat.of().formatHex(ContentHash.sha256(bytes));
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(bytes));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    private static ObjectNode body(
            long seq, Instant time, String runId, long index, String alg, AuditEvent event, String previousHash) {
        ObjectNode node = JSON.createObjectNode();
        node.put("seq", seq);
        node.put("time", time.toString());
        node.put("run", runId);
        node.put("index", index);
        node.put("alg", alg);
        node.put("type", event.type());
        ObjectNode e = node.putObject("event");
        for (Map.Entry<String, @Nullable Object> field : event.fields().entrySet()) {
            switch (field.getValue()) {
                case null -> e.putNull(field.getKey());
                case String s -> e.put(field.getKey(), s);
                case Integer i -> e.put(field.getKey(), i);
                case Long l -> e.put(field.getKey(), l);
                case Boolean b -> e.put(field.getKey(), b);
                default -> throw new IllegalStateException("unexpected audit field " + field);
            }
        }
        node.put("prev", previousHash);
        return node;
    }

    private static AuditEvent event(String type, JsonNode e) {
        if (!e.isObject()) {
            throw new IllegalArgumentException("missing event");
        }
        return switch (type) {
            case "run-started" -> new AuditEvent.RunStarted(text(e, "team"), optional(e, "parent"), text(e, "task"));
            case "verdict" ->
                new AuditEvent.Verdict(
                        text(e, "key"),
                        text(e, "point"),
                        optional(e, "agent"),
                        text(e, "interceptor"),
                        text(e, "verdict"),
                        text(e, "reason"),
                        text(e, "subject"));
            case "approval" ->
                new AuditEvent.Approval(
                        text(e, "key"),
                        optional(e, "agent"),
                        text(e, "decision"),
                        text(e, "by"),
                        text(e, "note"),
                        text(e, "subject"));
            case "capability-denied" ->
                new AuditEvent.CapabilityDenied(text(e, "agent"), text(e, "tool"), text(e, "code"), text(e, "reason"));
            case "model-call" ->
                new AuditEvent.ModelCall(
                        number(e, "step").intValue(),
                        text(e, "agent"),
                        text(e, "model"),
                        text(e, "request"),
                        text(e, "response"),
                        bool(e, "ok"),
                        number(e, "inputTokens"),
                        number(e, "outputTokens"));
            case "tool-call" ->
                new AuditEvent.ToolCall(
                        number(e, "step").intValue(),
                        text(e, "agent"),
                        text(e, "tool"),
                        text(e, "arguments"),
                        text(e, "result"),
                        bool(e, "ok"));
            case "message" ->
                new AuditEvent.MessageSent(
                        text(e, "id"),
                        text(e, "sender"),
                        text(e, "receivers"),
                        text(e, "performative"),
                        text(e, "content"));
            case "run-finished" -> new AuditEvent.RunFinished(text(e, "outcome"), text(e, "reason"));
            default -> throw new IllegalArgumentException("unknown event type '" + type + "'");
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("missing or non-text field '" + field + "'");
        }
        return value.asText();
    }

    private static @Nullable String optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : text(node, field);
    }

    private static Long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong()) {
            throw new IllegalArgumentException("missing or non-number field '" + field + "'");
        }
        return value.asLong();
    }

    private static boolean bool(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isBoolean()) {
            throw new IllegalArgumentException("missing or non-boolean field '" + field + "'");
        }
        return value.asBoolean();
    }
}
