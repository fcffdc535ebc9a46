package io.troupe.runtime.internal;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ToolCall;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.tool.ToolDefinition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The perceive phase: builds an agent's prompt from its instructions, its memory window, the message it answers
 * and its work so far in this turn. Each piece appears once.
 */
final class Prompts {
    private Prompts() {}

    /** How the agent reads a message addressed to it. */
    static String perceive(Message request, @Nullable String responseSchema) {
        StringBuilder text = new StringBuilder();
        boolean fromCoordinator = request.sender().equals(Message.COORDINATOR);
        if (!fromCoordinator || request.performative() != Performative.REQUEST) {
            text.append('[')
                    .append(request.performative())
                    .append(" from ")
                    .append(fromCoordinator ? "coordinator" : request.sender())
                    .append("] ");
        }
        text.append(request.body());
        if (request.payload() != null) {
            text.append("\n\nPayload (JSON): ").append(request.payload());
        }
        if (responseSchema != null) {
            text.append("\n\nAnswer with a JSON document only, following this JSON schema: ")
                    .append(responseSchema);
        }
        return text.toString();
    }

    /** The full request for the next model call of {@code turn}. */
    static ModelRequest build(
            AgentSpec agent, Turn turn, List<ChatMessage> memory, List<ToolDefinition> tools, List<String> delegates) {
        List<ChatMessage> messages =
                new ArrayList<>(turn.scratch.size() + agent.memory().window() + 2);
        messages.add(new ChatMessage.System(system(agent, delegates)));
        int window = agent.memory().window();
        if (window > 0 && !memory.isEmpty()) {
            int from = Math.max(0, memory.size() - window);
            // Never start the window with an answer whose request was cut off.
            if (memory.get(from) instanceof ChatMessage.Assistant && from + 1 < memory.size()) {
                from++;
            }
            messages.addAll(memory.subList(from, memory.size()));
        }
        for (Message notice : turn.inbox) {
            messages.add(new ChatMessage.User(perceive(notice, null)));
        }
        messages.add(new ChatMessage.User(perceive(turn.request, turn.started.responseSchema())));
        messages.addAll(turn.scratch);
        return new ModelRequest(messages, tools, turn.started.responseSchema());
    }

    private static String system(AgentSpec agent, List<String> delegates) {
        StringBuilder text = new StringBuilder();
        if (agent.instructions().isBlank()) {
            text.append("You are ").append(agent.role()).append('.');
        } else {
            text.append(agent.instructions());
        }
        if (!delegates.isEmpty()) {
            text.append("\n\nYou may delegate subtasks with the ")
                    .append(Delegation.TOOL_NAME)
                    .append(" tool to: ")
                    .append(String.join(", ", delegates))
                    .append(". Several delegations in one answer run in parallel.");
        }
        return text.toString();
    }

    /** A digest of everything the model sees, for the repetition guard; stable across JVMs. */
    static String hash(ModelRequest request) {
        MessageDigest digest = sha256();
        for (ChatMessage message : request.messages()) {
            update(digest, message.getClass().getSimpleName());
            update(digest, message.text());
            if (message instanceof ChatMessage.Assistant assistant) {
                for (ToolCall call : assistant.toolCalls()) {
                    update(digest, call.name());
                    update(digest, call.arguments());
                }
            }
        }
        for (ToolDefinition tool : request.tools()) {
            update(digest, tool.name());
        }
        if (request.responseSchema() != null) {
            update(digest, request.responseSchema());
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 12);
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
