package io.troupe.runtime.internal.turn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.api.tool.ToolDefinition;
import java.util.List;

/**
 * The built-in {@code delegate} tool: a manager asks a worker to do a subtask. The runtime carries it out itself by
 * sending the worker a REQUEST whose id is the tool step's idempotency key; the worker's answer becomes the tool's
 * output.
 */
final class Delegation {
    static final String TOOL_NAME = "delegate";

    private Delegation() {}

    /** The tool definition offered to an agent that may delegate to {@code workers}. */
    static ToolDefinition definition(ObjectMapper json, List<String> workers) {
        return new ToolDefinition(
                TOOL_NAME,
                "Delegate a subtask to a worker and receive its answer. Call it several times in one answer to"
                        + " delegate to several workers in parallel.",
                agentAndText(
                        json,
                        "worker",
                        "The id of the worker to delegate to.",
                        workers,
                        "task",
                        "What the worker should do, with everything it needs to know."));
    }

    /**
     * The argument schema of a built-in tool that names one of {@code agents} and carries a text: both required,
     * nothing else allowed.
     */
    static String agentAndText(
            ObjectMapper json,
            String agentField,
            String agentDescription,
            List<String> agents,
            String textField,
            String textDescription) {
        ObjectNode schema = json.createObjectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ObjectNode agent = properties.putObject(agentField);
        agent.put("type", "string");
        agent.put("description", agentDescription);
        ArrayNode names = agent.putArray("enum");
        agents.forEach(names::add);
        ObjectNode text = properties.putObject(textField);
        text.put("type", "string");
        text.put("minLength", 1);
        text.put("description", textDescription);
        schema.putArray("required").add(agentField).add(textField);
        schema.put("additionalProperties", false);
        return schema.toString();
    }

    /** The worker and task of validated {@code delegate} arguments. */
    record Request(String worker, String task) {
        static Request parse(ObjectMapper json, String arguments) {
            try {
                JsonNode node = json.readTree(arguments);
                return new Request(node.get("worker").asText(), node.get("task").asText());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("delegate arguments were validated but do not parse: " + arguments, e);
            }
        }
    }
}
