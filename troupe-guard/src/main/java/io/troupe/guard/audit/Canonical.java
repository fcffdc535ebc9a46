package io.troupe.guard.audit;

import io.troupe.api.intercept.Interception;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.tool.ToolDefinition;
import org.jspecify.annotations.Nullable;

/**
 * The canonical text of the API values the audit log hashes: every field that carries content, in a fixed order,
 * each followed by a separator that cannot occur in text, so that equal values always give equal hashes and
 * different values different ones.
 */
final class Canonical {
    private static final char SEPARATOR = '\u0000';

    private final StringBuilder text = new StringBuilder();

    private Canonical add(@Nullable String value) {
        text.append(value == null ? "\u0001" : value).append(SEPARATOR);
        return this;
    }

    static String hash(ModelRequest request) {
        Canonical c = new Canonical();
        for (ChatMessage message : request.messages()) {
            c.add(message.getClass().getSimpleName()).add(message.text());
            switch (message) {
                case ChatMessage.Assistant assistant -> assistant.toolCalls().forEach(c::call);
                case ChatMessage.ToolOutput output ->
                    c.add(output.toolCallId()).add(output.toolName()).add(Boolean.toString(output.error()));
                default -> {}
            }
        }
        for (ToolDefinition tool : request.tools()) {
            c.add(tool.name());
        }
        c.add(request.responseSchema());
        c.add(
                request.maxOutputTokens() == null
                        ? null
                        : request.maxOutputTokens().toString());
        return c.hash();
    }

    static String hash(ModelResponse response) {
        Canonical c = new Canonical().add(response.text());
        response.toolCalls().forEach(c::call);
        return c.hash();
    }

    static String hash(Message message) {
        return new Canonical().add(message.body()).add(message.payload()).hash();
    }

    static String hash(Interception.Subject subject) {
        Canonical c = new Canonical().add(subject.point().name());
        switch (subject) {
            case Interception.Subject.Task task -> c.add(task.task());
            case Interception.Subject.Incoming incoming -> c.message(incoming.message());
            case Interception.Subject.Outgoing outgoing -> c.message(outgoing.message());
            case Interception.Subject.ModelCall call -> c.add(call.model()).add(hash(call.request()));
            case Interception.Subject.ModelAnswer answer ->
                c.add(answer.model()).add(hash(answer.response()));
            case Interception.Subject.ToolUse use -> c.call(use.call());
            case Interception.Subject.ToolOutput output ->
                c.call(output.call())
                        .add(output.result().content())
                        .add(Boolean.toString(output.result().error()));
        }
        return c.hash();
    }

    static String text(String text) {
        return ContentHash.of(text);
    }

    static String receivers(Receivers receivers) {
        return switch (receivers) {
            case Receivers.Agents agents -> String.join(",", agents.ids());
            case Receivers.Role role -> "role:" + role.role();
            case Receivers.Everyone everyone -> "*";
        };
    }

    private Canonical message(Message m) {
        return add(m.id())
                .add(m.sender())
                .add(receivers(m.receivers()))
                .add(m.performative().name())
                .add(m.body())
                .add(m.payload());
    }

    private Canonical call(ToolCall call) {
        return add(call.id()).add(call.name()).add(call.arguments());
    }

    private String hash() {
        return ContentHash.of(text.toString());
    }
}
