package io.troupe.runtime.internal.turn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.api.tool.ToolDefinition;
import java.util.List;

/**
 * The built-in {@code handoff} tool: an agent hands the conversation to another agent. The runtime ends the agent's
 * turn with an INFORM whose payload is {@code {"handoff": {"to": id, "note": text}}}; the team's mechanism decides
 * what the receiver sees.
 */
final class Handoffs {
    static final String TOOL_NAME = "handoff";

    private Handoffs() {}

    /** The tool definition offered to an agent that may hand off to {@code targets}. */
    static ToolDefinition definition(ObjectMapper json, List<String> targets) {
        return new ToolDefinition(
                TOOL_NAME,
                "Hand the conversation to another agent who is better placed to help. This ends your turn.",
                Delegation.agentAndText(
                        json,
                        "to",
                        "The id of the agent to hand the conversation to.",
                        targets,
                        "note",
                        "What the next agent needs to know to carry on: the request and what you found."));
    }

    /** The reply payload for validated {@code handoff} arguments. */
    static Request parse(ObjectMapper json, String arguments) {
        try {
            JsonNode node = json.readTree(arguments);
            return new Request(node.get("to").asText(), node.get("note").asText());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("handoff arguments were validated but do not parse: " + arguments, e);
        }
    }

    /** A validated handoff. */
    record Request(String to, String note) {
        String payload(ObjectMapper json) {
            ObjectNode root = json.createObjectNode();
            ObjectNode handoff = root.putObject("handoff");
            handoff.put("to", to);
            handoff.put("note", note);
            return root.toString();
        }
    }
}
