package io.troupe.interop.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProviderBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * An MCP server for tests, built with the SDK: {@code echo}, {@code add}, {@code transfer} (a tool a test denies),
 * {@code crash} (the process dies without answering) and {@code add_tool} (adds a tool and announces the change).
 * Every call is appended to a log file, so that a test can tell which calls reached the server. Run as a child
 * process: {@code TestMcpServer stdio LOGFILE}.
 */
public final class TestMcpServer {
    private final Path log;
    private McpSyncServer server;

    TestMcpServer(Path log) {
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        TestMcpServer test = new TestMcpServer(Path.of(args[1]));
        JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(new ObjectMapper());
        test.start(new StdioServerTransportProvider(mapper), mapper);
        new CountDownLatch(1).await(); // the transport's threads serve until stdin closes
    }

    McpSyncServer start(McpServerTransportProviderBase transport, JacksonMcpJsonMapper mapper) {
        McpServer.SyncSpecification<?> spec =
                transport instanceof io.modelcontextprotocol.spec.McpServerTransportProvider single
                        ? McpServer.sync(single)
                        : McpServer.sync((io.modelcontextprotocol.spec.McpStreamableServerTransportProvider) transport);
        server = spec.serverInfo("troupe-test-server", "1.0")
                .jsonMapper(mapper)
                .jsonSchemaValidator(new SchemaValidator(new ObjectMapper()))
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(
                        tool("echo", "Echoes the text back.", """
                                {"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}""", args -> "echo: " + args.get("text")),
                        tool(
                                "add",
                                "Adds two numbers.",
                                """
                                {"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},\
                                "required":["a","b"]}""",
                                args -> String.valueOf(((Number) args.get("a")).doubleValue()
                                        + ((Number) args.get("b")).doubleValue())),
                        tool("transfer", "Transfers money.", """
                                {"type":"object","properties":{"amount":{"type":"number"}},"required":["amount"]}""", args -> "transferred " + args.get("amount")),
                        tool("crash", "Stops the server without answering.", "{\"type\":\"object\"}", args -> {
                            Runtime.getRuntime().halt(7);
                            return "unreachable";
                        }),
                        tool("add_tool", "Adds a tool.", """
                                {"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}""", args -> {
                            String name = (String) args.get("name");
                            server.addTool(tool(name, "Added later.", "{\"type\":\"object\"}", a -> "new"));
                            server.notifyToolsListChanged();
                            return "added " + name;
                        }))
                .build();
        return server;
    }

    McpServerFeatures.SyncToolSpecification tool(
            String name,
            String description,
            String schema,
            java.util.function.Function<Map<String, Object>, String> body) {
        JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(new ObjectMapper());
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder()
                        .name(name)
                        .description(description)
                        .inputSchema(mapper, schema)
                        .build())
                .callHandler((exchange, request) -> {
                    record(name + " " + request.arguments() + " " + request.meta());
                    String text = body.apply(request.arguments() == null ? Map.of() : request.arguments());
                    return McpSchema.CallToolResult.builder()
                            .content(List.of(new McpSchema.TextContent(text)))
                            .isError(false)
                            .build();
                })
                .build();
    }

    private synchronized void record(String line) {
        try {
            Files.writeString(
                    log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
