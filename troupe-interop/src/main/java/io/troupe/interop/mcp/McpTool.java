package io.troupe.interop.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.api.tool.ToolInvocation;
import io.troupe.api.tool.ToolResult;

/**
 * One tool of an MCP server, under the name agents use for it. Its definition follows the server's latest tool
 * list, so that a changed description or schema reaches the next model call; a tool the server no longer lists
 * keeps its last definition and answers with an error. The idempotency key goes to the server in the call's
 * {@code _meta} ({@value McpConnection#IDEMPOTENCY_META}). Thread-safe.
 */
final class McpTool implements Tool {
    private final String name;
    private final String mcpName;
    private final McpConnection connection;
    private final ObjectMapper json;
    private volatile ToolDefinition definition;

    McpTool(String name, McpSchema.Tool tool, McpConnection connection, ObjectMapper json) {
        this.name = name;
        this.mcpName = tool.name();
        this.connection = connection;
        this.json = json;
        this.definition = definition(tool);
    }

    /** The connection to the tool's server. */
    McpConnection connection() {
        return connection;
    }

    /** The MCP server's name, for messages. */
    String server() {
        return "MCP server '" + connection.settings().name() + "'";
    }

    /** The MCP server's own name for this tool. */
    String mcpName() {
        return mcpName;
    }

    @Override
    public ToolDefinition definition() {
        McpSchema.Tool current = connection.tools().get(mcpName);
        if (current != null) {
            ToolDefinition latest = definition(current);
            if (!latest.equals(definition)) {
                definition = latest;
            }
        }
        return definition;
    }

    @Override
    public ToolResult execute(ToolInvocation invocation) {
        if (!connection.tools().containsKey(mcpName)) {
            return ToolResult.error("MCP server '" + connection.settings().name() + "' no longer offers the tool '"
                    + mcpName + "'; use another tool");
        }
        return connection.call(mcpName, invocation.arguments(), invocation.idempotencyKey());
    }

    private ToolDefinition definition(McpSchema.Tool tool) {
        String description = tool.description() != null && !tool.description().isBlank()
                ? tool.description()
                : tool.title() != null && !tool.title().isBlank()
                        ? tool.title()
                        : "The tool '" + tool.name() + "' of MCP server '"
                                + connection.settings().name() + "'.";
        return new ToolDefinition(name, description, schema(tool));
    }

    /**
     * The tool's input schema as JSON text; an MCP tool without one takes no arguments. The {@code $schema} keyword
     * is left out, so that the runtime reads every schema as JSON Schema 2020-12 (MCP servers often declare draft-07,
     * whose common keywords 2020-12 reads the same way).
     */
    String schema(McpSchema.Tool tool) {
        if (tool.inputSchema() == null || tool.inputSchema().isEmpty()) {
            return ToolDefinition.NO_PARAMETERS;
        }
        java.util.Map<String, Object> schema = new java.util.LinkedHashMap<>(tool.inputSchema());
        schema.remove("$schema");
        try {
            return json.writeValueAsString(schema);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "the input schema of MCP tool '" + tool.name() + "' cannot be written" + " as JSON: "
                            + e.getOriginalMessage(),
                    e);
        }
    }

    @Override
    public String toString() {
        return "McpTool[" + name + " = " + connection.settings().name() + "/" + mcpName + "]";
    }
}
