package io.troupe.interop.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.modelcontextprotocol.spec.McpSchema;
import io.troupe.api.Checks;
import io.troupe.api.ConfigurationException;
import io.troupe.api.tool.Tool;
import io.troupe.tools.ToolSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * The tools of MCP servers, as a {@link ToolSource}: each server is started (a child process on stdio) or reached
 * (Streamable HTTP) once, its tool list is read, and each offered tool becomes a {@link Tool} that the runtime checks
 * like any other (schema, permissions, interceptors, journal) before it calls the server. Tool lists are refreshed
 * when a server announces a change; a server that dies is started again at the next call, and one that keeps dying
 * is reported. Close it to stop the servers.
 *
 * <pre>{@code
 * try (McpToolSource mcp = McpToolSource.start(List.of(
 *         McpServerSettings.of("everything", McpServerSettings.Stdio.of(List.of("node", "server.js", "stdio")))))) {
 *     TroupeRuntime.Builder runtime = TroupeRuntime.builder();
 *     mcp.tools().forEach(runtime::tool);
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class McpToolSource implements ToolSource, AutoCloseable {
    private final String description;
    private final List<McpConnection> connections;
    private final List<Tool> tools;
    private final Map<String, String> unusable;

    private McpToolSource(
            String description, List<McpConnection> connections, List<Tool> tools, Map<String, String> unusable) {
        this.description = description;
        this.connections = connections;
        this.tools = tools;
        this.unusable = unusable;
    }

    /**
     * Starts every server (in parallel) and reads its tools.
     *
     * @throws ConfigurationException naming every server that did not start, with why (its error output, its exit),
     *     and every tool name two servers share
     */
    public static McpToolSource start(List<McpServerSettings> servers) {
        return start(servers, Clock.systemUTC());
    }

    static McpToolSource start(List<McpServerSettings> servers, Clock clock) {
        Checks.list(servers, "MCP servers");
        ObjectMapper json = new ObjectMapper();
        List<McpConnection> connections = new ArrayList<>();
        for (McpServerSettings settings : servers) {
            connections.add(new McpConnection(settings, json, clock));
        }
        List<String> problems = new ArrayList<>();
        try (var starter = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<String>> started = new ArrayList<>();
            for (McpConnection connection : connections) {
                started.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                connection.start();
                                return null;
                            } catch (McpUnavailableException e) {
                                return e.getMessage();
                            }
                        },
                        starter));
            }
            started.forEach(future -> {
                String problem = future.join();
                if (problem != null) {
                    problems.add(problem);
                }
            });
        }
        if (!problems.isEmpty()) {
            connections.forEach(McpConnection::close);
            ConfigurationException.throwIfAny("MCP servers did not start", problems);
        }
        List<Tool> tools = new ArrayList<>();
        Map<String, String> unusable = new LinkedHashMap<>();
        Map<String, String> owners = new LinkedHashMap<>();
        JsonSchemaFactory schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        JsonSchema meta = schemas.getSchema(SchemaLocation.of(SchemaId.V202012));
        for (McpConnection connection : connections) {
            McpServerSettings settings = connection.settings();
            for (McpSchema.Tool listed : connection.tools().values()) {
                String name = ToolNames.local(settings.prefix(), listed.name());
                String owner = owners.putIfAbsent(name, settings.name());
                if (owner != null) {
                    problems.add("MCP servers '" + owner + "' and '" + settings.name() + "' both offer a tool named '"
                            + name + "'; give one of them a 'prefix' (e.g. prefix: " + settings.name() + "_) or"
                            + " list the tools to offer under 'tools'");
                    continue;
                }
                McpTool tool = new McpTool(name, listed, connection, json);
                String problem = schemaProblem(tool, listed, schemas, meta, json);
                if (problem != null) {
                    unusable.put(
                            name,
                            "MCP server '" + settings.name() + "' gives the tool '" + listed.name()
                                    + "' an input schema Troupe cannot use (" + problem + ")");
                } else {
                    tools.add(tool);
                }
            }
            Set<String> missing = new TreeSet<>(settings.tools() == null ? Set.of() : settings.tools());
            missing.removeAll(connection.tools().keySet());
            if (!missing.isEmpty()) {
                problems.add("MCP server '" + settings.name() + "' does not offer " + String.join(", ", missing)
                        + " listed under its 'tools'; it offers "
                        + (connection.tools().isEmpty() ? "no tools" : listedNames(connection)));
            }
        }
        if (!problems.isEmpty()) {
            connections.forEach(McpConnection::close);
            ConfigurationException.throwIfAny("Cannot use the tools of the MCP servers", problems);
        }
        String names =
                String.join(", ", servers.stream().map(McpServerSettings::name).toList());
        return new McpToolSource("MCP servers " + names, List.copyOf(connections), List.copyOf(tools), unusable);
    }

    private static String listedNames(McpConnection connection) {
        return String.join(", ", new TreeSet<>(connection.tools().keySet()));
    }

    /**
     * Why the tool's input schema cannot be used, or null: it must be a JSON Schema (2020-12, which {@code meta}
     * checks: a misspelt type, a 'required' that is not a list) of an object, as MCP requires.
     */
    private static @org.jspecify.annotations.Nullable String schemaProblem(
            McpTool tool, McpSchema.Tool listed, JsonSchemaFactory schemas, JsonSchema meta, ObjectMapper json) {
        try {
            String text = tool.schema(listed);
            JsonNode schema = json.readTree(text);
            List<String> wrong = meta.validate(schema).stream()
                    .map(ValidationMessage::getMessage)
                    .sorted()
                    .limit(3)
                    .toList();
            if (!wrong.isEmpty()) {
                return "it is no JSON Schema: " + String.join("; ", wrong);
            }
            if (!schema.path("type").asText("object").equals("object")) {
                return "its root must be an object schema (\"type\": \"object\"), got " + schema.get("type");
            }
            schemas.getSchema(text);
            return null;
        } catch (JsonProcessingException | RuntimeException e) {
            return e.getMessage();
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public List<Tool> tools() {
        return tools;
    }

    /**
     * The tools the servers list whose input schema Troupe cannot use, by the name agents would use, with why; they
     * are not offered.
     */
    public Map<String, String> unusable() {
        return Map.copyOf(unusable);
    }

    /** For each tool offered, by the name agents use: the server and the server's own name, for messages. */
    public Map<String, String> origins() {
        Map<String, String> origins = new LinkedHashMap<>();
        for (Tool tool : tools) {
            if (tool instanceof McpTool mcp) {
                origins.put(tool.name(), "tool '" + mcp.mcpName() + "' of " + mcp.server());
            }
        }
        return origins;
    }

    /** Stops every server (child processes are asked to exit, then killed after 5 seconds) and ends the sessions. */
    @Override
    public void close() {
        connections.forEach(McpConnection::close);
    }
}
