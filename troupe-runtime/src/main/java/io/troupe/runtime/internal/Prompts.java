package io.troupe.runtime.internal;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ToolCall;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.tool.ToolDefinition;
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

    /**
     * A 64-bit digest of everything the model sees, for the repetition guard; stable across JVMs. Not
     * cryptographic: it only has to tell an agent's prompts apart within one run.
     */
    static String hash(ModelRequest request) {
        long hash = FNV_OFFSET;
        for (ChatMessage message : request.messages()) {
            hash = update(hash, message.getClass().getSimpleName());
            hash = update(hash, message.text());
            if (message instanceof ChatMessage.Assistant assistant) {
                for (ToolCall call : assistant.toolCalls()) {
                    hash = update(hash, call.name());
                    hash = update(hash, call.arguments());
                }
            }
        }
        for (ToolDefinition tool : request.tools()) {
            hash = update(hash, tool.name());
        }
        if (request.responseSchema() != null) {
            hash = update(hash, request.responseSchema());
        }
        return HexFormat.of().toHexDigits(mix(hash));
    }

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    /** FNV-1a over the UTF-16 code units of {@code text}, then a separator. */
    private static long update(long hash, String text) {
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * FNV_PRIME;
        }
        return (hash ^ 0xFFFF) * FNV_PRIME;
    }

    /** The MurmurHash3 finalizer, to spread FNV's weak low bits. */
    private static long mix(long hash) {
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        return hash ^ (hash >>> 33);
    }
}
