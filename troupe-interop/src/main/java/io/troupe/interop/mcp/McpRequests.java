package io.troupe.interop.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * Checks of an MCP client's requests that the SDK's server does not make before it reads them into its types: a
 * {@code tools/call} whose {@code arguments} is not an object fails there with Jackson's message (on stdio) or with no
 * answer at all (over HTTP, where the client then waits for its own timeout).
 */
final class McpRequests {
    private McpRequests() {}

    /** The JSON-RPC code for invalid parameters. */
    static final int INVALID_PARAMS = -32602;

    /** Why {@code message}'s parameters are invalid, or null. */
    static @Nullable String invalidParams(JsonNode message) {
        if (!"tools/call".equals(message.path("method").asText())) {
            return null;
        }
        JsonNode params = message.get("params");
        if (params == null || !params.isObject()) {
            return "tools/call needs params: {\"name\": TOOL, \"arguments\": {...}}";
        }
        if (!params.path("name").isTextual()) {
            return "tools/call needs the name of a tool in params.name";
        }
        JsonNode arguments = params.get("arguments");
        if (arguments != null && !arguments.isNull() && !arguments.isObject()) {
            return "params.arguments of tools/call must be an object of the tool's arguments, got "
                    + arguments.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        }
        return null;
    }

    /** The JSON-RPC error answering {@code message} (a request, with its id) with {@code code} and {@code text}. */
    static ObjectNode error(ObjectMapper json, @Nullable JsonNode id, int code, String text) {
        ObjectNode answer = json.createObjectNode().put("jsonrpc", "2.0");
        if (id == null || id.isNull()) {
            answer.putNull("id");
        } else {
            answer.set("id", id);
        }
        answer.putObject("error").put("code", code).put("message", text);
        return answer;
    }
}
