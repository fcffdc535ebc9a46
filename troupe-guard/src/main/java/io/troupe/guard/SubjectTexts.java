package io.troupe.guard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.troupe.api.intercept.Interception.Subject;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.protocol.Message;
import io.troupe.api.tool.ToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The texts of an interception's subject, for guardrails that work on text: the task; a message's body and payload;
 * a model answer's text and tool-call arguments; a tool call's arguments; a tool's result. {@link #map} rebuilds the
 * subject with changed texts, so that a text guardrail answers with a {@code Verdict.Replace} of the same kind.
 *
 * <p>JSON texts (arguments, payloads, results that parse as JSON) are mapped string value by string value, so that
 * a change never breaks their structure. A model call has no texts here: its prompt is built from the others. Stateless
 * and thread-safe.
 */
public final class SubjectTexts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SubjectTexts() {}

    /**
     * One text of a subject.
     *
     * @param name what it is: {@code task}, {@code body}, {@code payload}, {@code text}, {@code arguments},
     *     {@code result}
     * @param text the text
     */
    public record Part(String name, String text) {}

    /** The texts of {@code subject}, in a fixed order. */
    public static List<Part> of(Subject subject) {
        List<Part> parts = new ArrayList<>(2);
        switch (subject) {
            case Subject.Task task -> parts.add(new Part("task", task.task()));
            case Subject.Incoming incoming -> message(incoming.message(), parts);
            case Subject.Outgoing outgoing -> message(outgoing.message(), parts);
            case Subject.ModelCall call -> {}
            case Subject.ModelAnswer answer -> {
                parts.add(new Part("text", answer.response().text()));
                for (ToolCall call : answer.response().toolCalls()) {
                    parts.add(new Part("arguments", call.arguments()));
                }
            }
            case Subject.ToolUse use ->
                parts.add(new Part("arguments", use.call().arguments()));
            case Subject.ToolOutput output ->
                parts.add(new Part("result", output.result().content()));
        }
        return parts;
    }

    private static void message(Message message, List<Part> parts) {
        parts.add(new Part("body", message.body()));
        if (message.payload() != null) {
            parts.add(new Part("payload", message.payload()));
        }
    }

    /**
     * {@code subject} with each text passed through {@code change}; JSON texts string value by string value. Returns
     * {@code subject} itself when nothing changed.
     */
    public static Subject map(Subject subject, UnaryOperator<String> change) {
        return map(subject, change, true);
    }

    /**
     * Like {@link #map(Subject, UnaryOperator)}, but leaves the arguments of the tool calls in a model's answer as
     * they are: for guardrails on what people read (links in an answer), which leave tool arguments to the checks of
     * the tools' sinks.
     */
    public static Subject mapReadable(Subject subject, UnaryOperator<String> change) {
        return map(subject, change, false);
    }

    private static Subject map(Subject subject, UnaryOperator<String> change, boolean toolArguments) {
        return switch (subject) {
            case Subject.Task task -> {
                String text = change.apply(task.task());
                yield text.equals(task.task()) ? subject : new Subject.Task(text);
            }
            case Subject.Incoming incoming -> {
                Message m = message(incoming.message(), change);
                yield m == incoming.message() ? subject : new Subject.Incoming(m);
            }
            case Subject.Outgoing outgoing -> {
                Message m = message(outgoing.message(), change);
                yield m == outgoing.message() ? subject : new Subject.Outgoing(m);
            }
            case Subject.ModelCall call -> subject;
            case Subject.ModelAnswer answer -> {
                ModelResponse r = answer.response();
                String text = change.apply(r.text());
                List<ToolCall> calls = new ArrayList<>(r.toolCalls().size());
                boolean changed = !text.equals(r.text());
                for (ToolCall call : r.toolCalls()) {
                    String arguments = toolArguments ? json(call.arguments(), change) : call.arguments();
                    changed |= !arguments.equals(call.arguments());
                    calls.add(new ToolCall(call.id(), call.name(), arguments));
                }
                yield changed
                        ? new Subject.ModelAnswer(
                                answer.model(), new ModelResponse(text, calls, r.usage(), r.servedBy()))
                        : subject;
            }
            case Subject.ToolUse use -> {
                ToolCall call = use.call();
                String arguments = json(call.arguments(), change);
                yield arguments.equals(call.arguments())
                        ? subject
                        : new Subject.ToolUse(new ToolCall(call.id(), call.name(), arguments));
            }
            case Subject.ToolOutput output -> {
                ToolResult result = output.result();
                String content = json(result.content(), change);
                yield content.equals(result.content())
                        ? subject
                        : new Subject.ToolOutput(output.call(), new ToolResult(content, result.error()));
            }
        };
    }

    private static Message message(Message m, UnaryOperator<String> change) {
        String body = change.apply(m.body());
        String payload = m.payload() == null ? null : json(m.payload(), change);
        if (body.equals(m.body()) && java.util.Objects.equals(payload, m.payload())) {
            return m;
        }
        return new Message(
                m.id(),
                m.conversationId(),
                m.inReplyTo(),
                m.sender(),
                m.receivers(),
                m.performative(),
                body,
                payload,
                m.deadline());
    }

    /**
     * {@code text} changed string value by string value if it is a JSON object or array, else as a whole. The result
     * keeps the original when nothing changed.
     */
    static String json(String text, UnaryOperator<String> change) {
        String trimmed = text.strip();
        if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) {
            return change.apply(text);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return change.apply(text);
        }
        if (root == null || !(root.isObject() || root.isArray())) {
            return change.apply(text);
        }
        boolean[] changed = {false};
        JsonNode mapped = walk(root, change, changed);
        return changed[0] ? mapped.toString() : text;
    }

    private static JsonNode walk(JsonNode node, UnaryOperator<String> change, boolean[] changed) {
        if (node.isTextual()) {
            String after = change.apply(node.asText());
            if (after.equals(node.asText())) {
                return node;
            }
            changed[0] = true;
            return TextNode.valueOf(after);
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = JSON.createObjectNode();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                copy.set(field.getKey(), walk(field.getValue(), change, changed));
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JSON.createArrayNode();
            array.forEach(item -> copy.add(walk(item, change, changed)));
            return copy;
        }
        return node;
    }
}
