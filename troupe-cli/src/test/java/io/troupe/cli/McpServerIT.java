package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.troupe.interop.mcp.McpTeamServer;
import io.troupe.interop.mcp.SchemaValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code troupe mcp serve SPEC} as MCP clients use it: the SDK's client starts it over stdio (or reaches it over
 * Streamable HTTP), lists and calls the team's tool, and receives the run's progress.
 */
class McpServerIT {
    private static final String SPEC = """
            troupe: 1
            name: story-desk
            models:
              tiny: { provider: llamacpp, model: stories260K, max-tokens: 24 }
            agents:
              - { id: writer, role: author, model: tiny, instructions: "Continue the story." }
              - { id: editor, role: editor, model: tiny, instructions: "Tighten the story." }
            team: { mechanism: sequential, order: [writer, editor] }
            budget: { tokens: 20000, turns: 10, wall: 2m }
            """;

    @TempDir
    Path dir;

    private Path spec() throws IOException {
        Path spec = dir.resolve("story-desk.yaml");
        Files.writeString(spec, SPEC);
        return spec;
    }

    @Test
    void stdio_clientListsAndCallsTheTeamTool_andReceivesProgress() throws Exception {
        List<String> command = Cli.command(
                "mcp",
                "serve",
                spec().toString(),
                "--journal",
                dir.resolve("journal").toString());
        ServerParameters parameters = ServerParameters.builder(command.getFirst())
                .args(command.subList(1, command.size()))
                .env(Cli.environment())
                .build();
        List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
        JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(new ObjectMapper());
        try (McpSyncClient client = McpClient.sync(new StdioClientTransport(parameters, mapper))
                .requestTimeout(Duration.ofMinutes(3))
                .initializationTimeout(Duration.ofMinutes(2))
                .progressConsumer(progress::add)
                .jsonSchemaValidator(SchemaValidator.create())
                .build()) {
            client.initialize();
            assertThat(client.getServerInstructions()).contains("story-desk");
            McpSchema.Tool tool = client.listTools().tools().stream()
                    .filter(t -> t.name().equals("story-desk"))
                    .findFirst()
                    .orElseThrow();
            assertThat(tool.description()).contains("writer (author)", "editor (editor)");
            assertThat(tool.inputSchema()).containsKey("properties");

            McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder()
                    .name("story-desk")
                    .arguments(Map.of("task", "Once upon a time"))
                    .progressToken("story-1")
                    .build());

            assertThat(result.isError()).isFalse();
            assertThat(((McpSchema.TextContent) result.content().getFirst()).text())
                    .isNotBlank();
            assertThat(result.meta()).containsKey(McpTeamServer.RUN_META);
            Path audit = dir.resolve("journal")
                    .resolve("audit")
                    .resolve(result.meta().get(McpTeamServer.RUN_META) + ".audit.jsonl");
            await().alias("the spec's guardrails (here the default audit log) hold for the served team")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> Files.exists(audit));
            // The server numbers its notifications 1, 2, 3, ... in the order of the run's steps; the SDK's sync client
            // hands each to the consumer on a thread of its own, so they may arrive here in another order.
            await().alias("progress notifications 1..n, none missing or repeated")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> progress.size() >= 3
                            && progress.stream()
                                    .map(p -> p.progress())
                                    .sorted()
                                    .toList()
                                    .equals(IntStream.rangeClosed(1, progress.size())
                                            .mapToObj(i -> (double) i)
                                            .toList()));
            assertThat(progress).allSatisfy(p -> assertThat(p.progressToken()).isEqualTo("story-1"));
            assertThat(progress)
                    .extracting(McpSchema.ProgressNotification::message)
                    .anySatisfy(m -> assertThat(m).startsWith("writer → @team INFORM:"))
                    .anySatisfy(m -> assertThat(m).startsWith("editor → @team INFORM:"));

            McpSchema.CallToolResult noTask = client.callTool(new McpSchema.CallToolRequest("story-desk", Map.of()));
            assertThat(noTask.isError()).isTrue();
        }
    }

    @Test
    void stdio_piped_answersALineThatIsNotJson_andEveryRequestBeforeTheEndOfInput() throws Exception {
        // A client that writes its requests and closes its end at once (a pipe, a script): the server answers the
        // broken line with a parse error, goes on, and answers every request before it exits.
        Path input = dir.resolve("requests.jsonl");
        Files.write(
                input,
                List.of(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}",
                        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                        "this is not JSON",
                        "{\"id\":8,\"foo\":1}",
                        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}",
                        "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"story-desk\","
                                + "\"arguments\":[\"not\",\"an\",\"object\"]}}",
                        "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"story-desk\","
                                + "\"arguments\":{\"task\":\"Once upon a time\"}}}"));
        Path stderr = dir.resolve("stdio.err");
        ProcessBuilder builder = new ProcessBuilder(Cli.command(
                        "mcp",
                        "serve",
                        spec().toString(),
                        "--journal",
                        dir.resolve("journal").toString()))
                .redirectInput(input.toFile())
                .redirectError(stderr.toFile());
        builder.environment().putAll(Cli.environment());
        Process process = builder.start();
        List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .toList();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(stderr)).isZero();

        ObjectMapper json = new ObjectMapper();
        Map<String, com.fasterxml.jackson.databind.JsonNode> byId = new java.util.HashMap<>();
        for (String line : lines) {
            com.fasterxml.jackson.databind.JsonNode message = json.readTree(line);
            byId.put(message.path("id").toString(), message);
        }
        assertThat(byId).containsOnlyKeys("null", "1", "2", "3", "4", "8");
        assertThat(byId.get("8").path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(byId.get("4").path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(byId.get("null").path("error").path("code").asInt()).isEqualTo(-32700);
        assertThat(byId.get("null").path("error").path("message").asText()).contains("not JSON");
        assertThat(byId.get("2").has("result")).isTrue();
        assertThat(byId.get("3").path("result").path("isError").asBoolean()).isFalse();
        assertThat(byId.get("3")
                        .path("result")
                        .path("content")
                        .path(0)
                        .path("text")
                        .asText())
                .isNotBlank();
    }

    @Test
    void http_servesOnLoopback_refusesForeignHostsAndOrigins_andStopsGracefully() throws Exception {
        Path stderr = dir.resolve("serve.err");
        Process serve = Cli.start(
                env -> {},
                stderr,
                "mcp",
                "serve",
                spec().toString(),
                "--port",
                "0",
                "--journal",
                dir.resolve("journal").toString());
        try {
            Pattern at = Pattern.compile("at (http://127\\.0\\.0\\.1:(\\d+)/mcp)");
            String url = await().atMost(Duration.ofMinutes(2))
                    .until(
                            () -> {
                                Matcher matcher = at.matcher(Files.readString(stderr));
                                return matcher.find() ? matcher.group(1) : null;
                            },
                            found -> found != null);
            int port = Integer.parseInt(url.replaceAll(".*:(\\d+)/mcp", "$1"));
            JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(new ObjectMapper());
            try (McpSyncClient client = McpClient.sync(
                            HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                                    .endpoint("/mcp")
                                    .jsonMapper(mapper)
                                    .build())
                    .requestTimeout(Duration.ofMinutes(3))
                    .jsonSchemaValidator(SchemaValidator.create())
                    .build()) {
                client.initialize();
                McpSchema.CallToolResult result =
                        client.callTool(new McpSchema.CallToolRequest("story-desk", Map.of("task", "A cat")));
                assertThat(result.isError()).isFalse();
            }
            assertThat(post(port, "127.0.0.1:" + port, "http://evil.example")).startsWith("HTTP/1.1 403");
            assertThat(post(port, "evil.example", null)).startsWith("HTTP/1.1 421");
            // The SDK's refusals are JSON-RPC errors, not its Java exceptions serialized with their stack traces.
            String garbage = exchange(port, "127.0.0.1:" + port, null, "garbage");
            assertThat(garbage)
                    .startsWith("HTTP/1.1 400")
                    .contains(
                            "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"Invalid message"
                                    + " format: Unrecognized token 'garbage'")
                    .doesNotContain("stackTrace", "Source: REDACTED");
            assertThat(exchange(
                            port,
                            "127.0.0.1:" + port,
                            null,
                            "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}"))
                    .startsWith("HTTP/1.1 400")
                    .contains("\"error\":{\"code\":")
                    .contains("Session ID required")
                    .doesNotContain("stackTrace");
            // Arguments that are no object: the SDK would answer nothing, and its client would wait.
            assertThat(exchange(
                            port,
                            "127.0.0.1:" + port,
                            null,
                            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"story-desk\","
                                    + "\"arguments\":\"str\"}}"))
                    .startsWith("HTTP/1.1 200")
                    .contains(
                            "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32602,\"message\":\"params.arguments of"
                                    + " tools/call must be an object");
        } finally {
            serve.destroy(); // SIGTERM: the shutdown hook closes the server gracefully
            assertThat(serve.waitFor(60, TimeUnit.SECONDS))
                    .as("troupe mcp serve stops on SIGTERM")
                    .isTrue();
        }
        assertThat(Files.readString(stderr)).doesNotContain("Exception");
    }

    /** The status line of an initialize POST with these Host and Origin headers, written by hand. */
    private static String post(int port, String host, String origin) throws IOException {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
        return exchange(port, host, origin, body).lines().findFirst().orElse("");
    }

    /** The whole response to a POST of {@code body} with these Host and Origin headers, written by hand. */
    private static String exchange(int port, String host, String origin, String body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String request = "POST /mcp HTTP/1.1\r\nHost: " + host + "\r\n"
                    + (origin == null ? "" : "Origin: " + origin + "\r\n")
                    + "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                    + "\r\nConnection: close\r\n\r\n"
                    + body;
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
