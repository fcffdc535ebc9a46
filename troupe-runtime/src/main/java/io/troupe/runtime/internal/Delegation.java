package io.troupe.runtime.internal;

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
        ObjectNode schema = json.createObjectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ObjectNode worker = properties.putObject("worker");
        worker.put("type", "string");
        worker.put("description", "The id of the worker to delegate to.");
        ArrayNode names = worker.putArray("enum");
        workers.forEach(names::add);
        ObjectNode task = properties.putObject("task");
        task.put("type", "string");
        task.put("minLength", 1);
        task.put("description", "What the worker should do, with everything it needs to know.");
        schema.putArray("required").add("worker").add("task");
        schema.put("additionalProperties", false);
        return new ToolDefinition(
                TOOL_NAME,
                "Delegate a subtask to a worker and receive its answer. Call it several times in one answer to"
                        + " delegate to several workers in parallel.",
                schema.toString());
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
