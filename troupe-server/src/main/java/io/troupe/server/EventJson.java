package io.troupe.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.api.intercept.Interception;
import io.troupe.api.model.Usage;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.PendingApproval;
import io.troupe.api.run.RunSummary;
import io.troupe.api.run.TokenDelta;
import io.troupe.runtime.JournalCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The API's JSON for runs, their events and approvals. A journal event is wrapped with its position: {@code {"seq":
 * 3, "run": "…", "type": "MessageSent", "event": {…}}}, where {@code event} is the event as {@link JournalCodec}
 * writes it (with {@code @type}). Metadata keys that start with {@code troupe.} are the server's and are shown as
 * {@code spec}, not as labels.
 */
final class EventJson {
    private EventJson() {}

    /**
     * A journal event of run {@code run} at 1-based position {@code seq} in its journal.
     *
     * @param at when it was journaled, or null when not known
     */
    static String event(long seq, String run, @Nullable Instant at, JournalEvent event) {
        return "{\"seq\":" + seq + ",\"run\":" + quote(run) + (at == null ? "" : ",\"at\":\"" + at + "\"")
                + ",\"type\":\""
                + event.getClass().getSimpleName() + "\",\"event\":"
                + JournalCodec.json().write(event) + "}";
    }

    /** A streamed token of run {@code run}. */
    static String token(String run, TokenDelta token) {
        return "{\"run\":" + quote(run) + ",\"type\":\"Token\",\"step\":" + token.step() + ",\"agent\":"
                + quote(token.agentId()) + ",\"text\":" + quote(token.text()) + "}";
    }

    static String quote(String text) {
        return Json.write(text);
    }

    static ObjectNode usage(Usage usage) {
        ObjectNode node = Json.object();
        node.put("inputTokens", usage.inputTokens());
        node.put("outputTokens", usage.outputTokens());
        node.put("cost", usage.cost());
        return node;
    }

    static @Nullable ObjectNode outcome(@Nullable Outcome outcome) {
        if (outcome == null) {
            return null;
        }
        ObjectNode node = Json.object();
        node.put("type", outcome.getClass().getSimpleName());
        switch (outcome) {
            case Outcome.Completed completed -> {
                node.put("result", completed.result());
                if (completed.payload() != null) {
                    node.put("payload", completed.payload());
                }
            }
            case Outcome.Failed failed -> node.put("reason", failed.reason());
            case Outcome.BudgetExceeded exceeded -> node.put("reason", exceeded.describe());
            case Outcome.Cancelled cancelled -> node.put("reason", cancelled.reason());
        }
        node.put("description", outcome.describe());
        return node;
    }

    /** A run as the API shows it. */
    static ObjectNode run(RunSummary run, String base) {
        ObjectNode node = Json.object();
        node.put("id", run.conversationId());
        node.put("team", run.team());
        node.put("status", run.status().name());
        node.put("startedAt", run.startedAt().toString());
        node.put(
                "finishedAt", run.finishedAt() == null ? null : run.finishedAt().toString());
        node.set("outcome", outcome(run.outcome()));
        node.set("usage", usage(run.usage()));
        node.put("parent", run.parentConversationId());
        node.put("waitingFor", run.waitingFor());
        node.set("spec", spec(run.metadata()));
        ObjectNode labels = node.putObject("metadata");
        run.metadata().forEach((key, value) -> {
            if (!key.startsWith("troupe.")) {
                labels.put(key, value);
            }
        });
        ObjectNode links = node.putObject("links");
        String self = base + "/api/runs/" + run.conversationId();
        links.put("self", self);
        links.put("events", self + "/events");
        links.put("stream", self + "/stream");
        links.put("cancel", self + "/cancel");
        return node;
    }

    private static @Nullable ObjectNode spec(Map<String, String> metadata) {
        String name = metadata.get(Specs.SPEC);
        if (name == null) {
            return null;
        }
        ObjectNode spec = Json.object();
        spec.put("name", name);
        spec.put("sha256", metadata.get(Specs.SHA256));
        return spec;
    }

    /** The id clients use for an approval: the run and the interception's key, URL-safe. */
    static String approvalId(String run, String key) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((run + "\n" + key).getBytes(StandardCharsets.UTF_8));
    }

    /** The run and key of an approval id, or null if it is not one. */
    static String @Nullable [] approvalOf(String id) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(id), StandardCharsets.UTF_8);
            int newline = text.indexOf('\n');
            return newline <= 0 || newline == text.length() - 1
                    ? null
                    : new String[] {text.substring(0, newline), text.substring(newline + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static ObjectNode approval(PendingApproval approval, String base) {
        ObjectNode node = Json.object();
        String id = approvalId(approval.conversationId(), approval.key());
        node.put("id", id);
        node.put("run", approval.conversationId());
        node.put("key", approval.key());
        node.put("point", approval.point().name());
        node.put("agent", approval.agentId());
        node.put("interceptor", approval.interceptor());
        node.put("reason", approval.reason());
        node.put(
                "requestedAt",
                approval.requestedAt() == null ? null : approval.requestedAt().toString());
        node.set("subject", subject(approval.subject()));
        ObjectNode links = node.putObject("links");
        links.put("approve", base + "/api/approvals/" + id + "/approve");
        links.put("deny", base + "/api/approvals/" + id + "/deny");
        links.put("run", base + "/api/runs/" + approval.conversationId());
        return node;
    }

    private static ObjectNode subject(Interception.Subject subject) {
        ObjectNode node = Json.object();
        node.put("type", subject.getClass().getSimpleName());
        switch (subject) {
            case Interception.Subject.ToolUse use -> {
                node.put("tool", use.call().name());
                node.put("arguments", use.call().arguments());
            }
            case Interception.Subject.ToolOutput output -> {
                node.put("tool", output.call().name());
                node.put("result", output.result().content());
                node.put("error", output.result().error());
            }
            case Interception.Subject.ModelCall call -> {
                node.put("model", call.model());
                node.put("prompt", call.request().lastUserText());
            }
            case Interception.Subject.ModelAnswer answer -> {
                node.put("model", answer.model());
                node.put("text", answer.response().text());
            }
            case Interception.Subject.Incoming incoming -> message(node, incoming.message());
            case Interception.Subject.Outgoing outgoing -> message(node, outgoing.message());
            case Interception.Subject.Task task -> node.put("task", task.task());
        }
        return node;
    }

    private static void message(ObjectNode node, io.troupe.api.protocol.Message message) {
        node.put("sender", message.sender());
        node.put("performative", message.performative().name());
        node.put("body", message.body());
    }

    static ArrayNode array() {
        return Json.MAPPER.createArrayNode();
    }
}
