package io.troupe.guard.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The canonical JSON form of audit entries and their hashes. The hash covers the entry's canonical JSON without
 * its {@code hash} field (fields in a fixed order, no whitespace), and that JSON holds the previous entry's hash,
 * so that changing, removing or moving any entry breaks the chain from there on.
 */
final class AuditCodec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ENTRY_FIELDS = Set.of("seq", "time", "run", "type", "event", "prev", "hash");

    private final byte @Nullable [] key;

    AuditCodec(byte @Nullable [] key) {
        this.key = key == null ? null : key.clone();
    }

    /** The entry with its hash computed. */
    AuditEntry seal(long seq, Instant time, String runId, AuditEvent event, String previousHash) {
        String body = body(seq, time, runId, event, previousHash).toString();
        return new AuditEntry(seq, time, runId, event, previousHash, hash(body));
    }

    /** The line stored for {@code entry}. */
    String encode(AuditEntry entry) {
        ObjectNode node = body(entry.seq(), entry.time(), entry.runId(), entry.event(), entry.previousHash());
        node.put("hash", entry.hash());
        return node.toString();
    }

    /** The entry in {@code line}, and whether its hash matches its content. */
    record Decoded(AuditEntry entry, boolean hashMatches) {}

    /** Reads a line; throws {@link IllegalArgumentException} with a reason when it is not an audit entry. */
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
        long seq = node.path("seq").asLong(-1);
        Instant time;
        try {
            time = Instant.parse(text(node, "time"));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("invalid time");
        }
        AuditEvent event = event(text(node, "type"), node.path("event"));
        AuditEntry entry = new AuditEntry(seq, time, text(node, "run"), event, text(node, "prev"), text(node, "hash"));
        String body =
                body(seq, time, entry.runId(), event, entry.previousHash()).toString();
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

    private static ObjectNode body(long seq, Instant time, String runId, AuditEvent event, String previousHash) {
        ObjectNode node = JSON.createObjectNode();
        node.put("seq", seq);
        node.put("time", time.toString());
        node.put("run", runId);
        node.put("type", event.type());
        ObjectNode e = node.putObject("event");
        switch (event) {
            case AuditEvent.GuardVerdict v -> {
                e.put("agent", v.agentId());
                e.put("direction", v.direction());
                e.put("guardrail", v.guardrail());
                e.put("verdict", v.verdict());
                e.put("reason", v.reason());
                ArrayNode codes = e.putArray("codes");
                v.codes().forEach(codes::add);
                e.put("content", v.contentHash());
            }
            case AuditEvent.Approval a -> {
                e.put("agent", a.agentId());
                e.put("approval", a.approvalId());
                e.put("tool", a.tool());
                e.put("decision", a.decision());
                e.put("by", a.decidedBy());
                e.put("arguments", a.argumentsHash());
            }
            case AuditEvent.CapabilityDenied c -> {
                e.put("agent", c.agentId());
                e.put("capability", c.capability());
                e.put("target", c.target());
                e.put("reason", c.reason());
            }
            case AuditEvent.ModelCall m -> {
                e.put("agent", m.agentId());
                e.put("model", m.model());
                e.put("request", m.requestHash());
                e.put("response", m.responseHash());
                e.put("inputTokens", m.inputTokens());
                e.put("outputTokens", m.outputTokens());
            }
            case AuditEvent.ToolCall t -> {
                e.put("agent", t.agentId());
                e.put("tool", t.tool());
                e.put("arguments", t.argumentsHash());
                e.put("result", t.resultHash());
                e.put("ok", t.ok());
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
            case "verdict" -> {
                List<String> codes = new ArrayList<>();
                e.path("codes").forEach(c -> codes.add(c.asText()));
                yield new AuditEvent.GuardVerdict(
                        text(e, "agent"),
                        text(e, "direction"),
                        text(e, "guardrail"),
                        text(e, "verdict"),
                        text(e, "reason"),
                        codes,
                        text(e, "content"));
            }
            case "approval" ->
                new AuditEvent.Approval(
                        text(e, "agent"),
                        text(e, "approval"),
                        text(e, "tool"),
                        text(e, "decision"),
                        text(e, "by"),
                        text(e, "arguments"));
            case "capability-denied" ->
                new AuditEvent.CapabilityDenied(
                        text(e, "agent"), text(e, "capability"), text(e, "target"), text(e, "reason"));
            case "model-call" ->
                new AuditEvent.ModelCall(
                        text(e, "agent"),
                        text(e, "model"),
                        text(e, "request"),
                        text(e, "response"),
                        e.path("inputTokens").asLong(),
                        e.path("outputTokens").asLong());
            case "tool-call" ->
                new AuditEvent.ToolCall(
                        text(e, "agent"),
                        text(e, "tool"),
                        text(e, "arguments"),
                        text(e, "result"),
                        e.path("ok").asBoolean());
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
}
