package io.troupe.interop.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.troupe.api.Checks;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolInvocation;
import io.troupe.api.tool.ToolResult;
import io.troupe.interop.internal.Progress;
import io.troupe.interop.internal.RunEvents;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.jspecify.annotations.Nullable;

/**
 * A team served as an MCP server: one tool runs the team on a task and returns its result, sending a progress
 * notification for each step of the run (messages, tool calls, decisions) when the client asked for progress; the
 * spec's selected tools are served too. Over stdio (a client starts {@code troupe mcp serve}) or Streamable HTTP on
 * Javalin, where the Host and Origin headers are checked against loopback and the names given, so that a web page
 * cannot reach the server through DNS rebinding.
 *
 * <p>A team's run can take minutes, far beyond the SDK's defaults (10 s for the server's own requests, 20 s in its
 * clients): the server waits as long as the team's wall-clock budget allows, and clients should set their request
 * timeout likewise. Closing is graceful: new calls are refused, runs in flight get {@link Settings#shutdownGrace} to
 * finish and are then cancelled (they stay in the journal), and the sessions end. Thread-safe.
 */
public final class McpTeamServer implements AutoCloseable {
    /** The key under a result's {@code _meta} that names the run, for {@code troupe replay}. */
    public static final String RUN_META = "io.troupe/run-id";

    private static final String TASK_SCHEMA = """
            {"type":"object","properties":{"task":{"type":"string","description":"What the team should do, in \
            plain words."}},"required":["task"],"additionalProperties":false}""";

    private final Troupe troupe;
    private final TeamSpec team;
    private final Settings settings;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Map<String, RunHandle> running = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    /** Between the client's pipes and the transport, when serving on stdio. */
    private @Nullable StdioPipe pipe;

    private @Nullable McpSyncServer server;
    private @Nullable Javalin http;

    /**
     * How the server behaves.
     *
     * @param toolName the name of the tool that runs the team
     * @param runTimeout how long one run may take before it is cancelled; also the server's request timeout
     * @param shutdownGrace how long runs in flight may go on once the server is closing
     * @param allowedHosts Host headers accepted over HTTP besides loopback (e.g. {@code troupe.example.com:*})
     * @param allowedOrigins Origin headers accepted over HTTP besides loopback (e.g. {@code https://app.example.com})
     * @param runMetadata journaled with every run the server starts (a spec's source, so that the run can resume)
     */
    public record Settings(
            String toolName,
            Duration runTimeout,
            Duration shutdownGrace,
            List<String> allowedHosts,
            List<String> allowedOrigins,
            Map<String, String> runMetadata) {
        public Settings {
            Checks.notBlank(toolName, "MCP tool name");
            if (!toolName.matches("[A-Za-z0-9_.-]{1,128}")) {
                throw new IllegalArgumentException("An MCP tool name may use letters, digits, '_', '-' and '.', up to"
                        + " 128 characters; got '" + toolName + "'");
            }
            Checks.notNull(runTimeout, "runTimeout");
            Checks.notNull(shutdownGrace, "shutdownGrace");
            allowedHosts = Checks.list(allowedHosts, "allowedHosts");
            allowedOrigins = Checks.list(allowedOrigins, "allowedOrigins");
            runMetadata = Map.copyOf(Checks.notNull(runMetadata, "runMetadata"));
        }

        /** The team's tool named after the team, runs bounded by its wall-clock budget plus a minute, 30 s grace. */
        public static Settings forTeam(TeamSpec team) {
            String name = team.name().replaceAll("[^A-Za-z0-9_.-]", "_");
            return new Settings(
                    name.isEmpty() ? "team" : name,
                    team.budget().maxWallTime().plusMinutes(1),
                    Duration.ofSeconds(30),
                    List.of(),
                    List.of(),
                    Map.of());
        }

        /** These settings accepting these Host and Origin headers too. */
        public Settings withAllowed(List<String> hosts, List<String> origins) {
            return new Settings(toolName, runTimeout, shutdownGrace, hosts, origins, runMetadata);
        }

        /** These settings with another grace period for runs in flight at shutdown. */
        public Settings withShutdownGrace(Duration grace) {
            return new Settings(toolName, runTimeout, grace, allowedHosts, allowedOrigins, runMetadata);
        }

        /** These settings journaling {@code metadata} with each run. */
        public Settings withRunMetadata(Map<String, String> metadata) {
            return new Settings(toolName, runTimeout, shutdownGrace, allowedHosts, allowedOrigins, metadata);
        }
    }

    private McpTeamServer(Troupe troupe, TeamSpec team, Settings settings) {
        this.troupe = troupe;
        this.team = team;
        this.settings = settings;
    }

    /**
     * Serves {@code team} and {@code tools} over {@code in} and {@code out} (a client's pipes: {@code System.in} and
     * {@code System.out}). Nothing else may write to {@code out}. A line that is not JSON is answered with a parse
     * error; {@link #ended()} completes when the client has closed {@code in} and every request it sent has been
     * answered, or the shutdown grace has passed.
     */
    public static McpTeamServer stdio(
            Troupe troupe, TeamSpec team, List<Tool> tools, Settings settings, InputStream in, OutputStream out) {
        McpTeamServer served = new McpTeamServer(troupe, team, settings);
        StdioPipe pipe = new StdioPipe(in, out, served.json, settings.shutdownGrace());
        served.pipe = pipe;
        InputStream watched = new FilterInputStream(pipe.input()) {
            @Override
            public int read() throws IOException {
                return ended(super.read());
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                return ended(super.read(buffer, offset, length));
            }

            private int ended(int read) {
                if (read < 0) {
                    served.ended.complete(null);
                }
                return read;
            }
        };
        JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(served.json);
        served.server = served.configure(
                        McpServer.sync(new StdioServerTransportProvider(mapper, watched, pipe.output())), mapper, tools)
                .build();
        pipe.start();
        return served;
    }

    /** Serves {@code team} and {@code tools} over Streamable HTTP at {@code http://host:port/mcp} (port 0: any). */
    public static McpTeamServer http(
            Troupe troupe, TeamSpec team, List<Tool> tools, Settings settings, String host, int port) {
        McpTeamServer served = new McpTeamServer(troupe, team, settings);
        JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(served.json);
        List<String> hosts = new ArrayList<>(List.of("localhost:*", "127.0.0.1:*", "[::1]:*"));
        hosts.addAll(settings.allowedHosts());
        List<String> origins = new ArrayList<>(List.of("http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"));
        origins.addAll(settings.allowedOrigins());
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(mapper)
                .mcpEndpoint("/mcp")
                .keepAliveInterval(Duration.ofSeconds(30))
                .securityValidator(DefaultServerTransportSecurityValidator.builder()
                        .allowedHosts(hosts)
                        .allowedOrigins(origins)
                        .build())
                .build();
        served.server =
                served.configure(McpServer.sync(transport), mapper, tools).build();
        served.http = Javalin.create(config -> {
                    config.startup.showJavalinBanner = false;
                    config.jetty.modifyServletContextHandler(handler -> {
                        ServletHolder holder = new ServletHolder(transport);
                        holder.setAsyncSupported(true);
                        handler.addServlet(holder, "/mcp");
                        org.eclipse.jetty.ee10.servlet.FilterHolder errors =
                                new org.eclipse.jetty.ee10.servlet.FilterHolder(new JsonRpcErrorFilter(served.json));
                        errors.setAsyncSupported(true);
                        handler.addFilter(errors, "/mcp", java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
                    });
                })
                .start(host, port);
        return served;
    }

    private McpServer.SyncSpecification<?> configure(
            McpServer.SyncSpecification<?> spec, JacksonMcpJsonMapper mapper, List<Tool> tools) {
        List<McpServerFeatures.SyncToolSpecification> specs = new ArrayList<>();
        specs.add(McpServerFeatures.SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder()
                        .name(settings.toolName())
                        .title("Team " + team.name())
                        .description(describeTeam())
                        .inputSchema(mapper, TASK_SCHEMA)
                        .build())
                .callHandler(this::runTeam)
                .build());
        for (Tool tool : tools) {
            specs.add(McpServerFeatures.SyncToolSpecification.builder()
                    .tool(McpSchema.Tool.builder()
                            .name(tool.name())
                            .description(tool.definition().description())
                            .inputSchema(mapper, tool.definition().parametersSchema())
                            .build())
                    .callHandler((exchange, request) -> callTool(tool, request))
                    .build());
        }
        return spec.serverInfo("troupe-" + settings.toolName(), version())
                .jsonMapper(mapper)
                .jsonSchemaValidator(new SchemaValidator(json))
                .requestTimeout(settings.runTimeout())
                .capabilities(
                        McpSchema.ServerCapabilities.builder().tools(false).build())
                .instructions("Call the tool '" + settings.toolName() + "' with a task to have the team '" + team.name()
                        + "' do it. A run may take minutes: allow your request that long.")
                .tools(specs);
    }

    private String describeTeam() {
        StringBuilder text = new StringBuilder(
                "Runs the team '" + team.name() + "' on a task and returns its" + " answer. Members: ");
        List<String> members = new ArrayList<>();
        team.members().forEach(member -> members.add(member.id() + " (" + member.role() + ")"));
        text.append(String.join(", ", members))
                .append(". A run may take minutes; progress notifications report each step.");
        return text.toString();
    }

    private McpSchema.CallToolResult runTeam(McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
        if (closing.get()) {
            return error("the server is shutting down; call again when it is back");
        }
        Object task = request.arguments() == null ? null : request.arguments().get("task");
        if (!(task instanceof String text) || text.isBlank()) {
            return error("give the team a task: {\"task\": \"what to do\"}");
        }
        Map<String, String> metadata = new LinkedHashMap<>(settings.runMetadata());
        metadata.put("mcp.tool", settings.toolName());
        if (exchange.getClientInfo() != null) {
            metadata.put("mcp.client", exchange.getClientInfo().name());
        }
        RunHandle run = troupe.submit(team, text, metadata);
        running.put(run.conversationId(), run);
        Object token = request.meta() == null ? null : request.meta().get("progressToken");
        if (token != null) {
            AtomicInteger step = new AtomicInteger();
            RunEvents.journal(run, event -> {
                String line = Progress.describe(event);
                if (line != null) {
                    try {
                        exchange.progressNotification(
                                new McpSchema.ProgressNotification(token, step.incrementAndGet(), null, line));
                    } catch (RuntimeException e) {
                        // the client went away; the run goes on and its result is still journaled
                    }
                }
            });
        }
        try {
            Outcome outcome = run.outcome()
                    .toCompletableFuture()
                    .get(settings.runTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return result(run.conversationId(), outcome);
        } catch (TimeoutException e) {
            run.cancel("the MCP call took longer than " + settings.runTimeout().toSeconds() + " s");
            return error(
                    "the team did not finish within " + settings.runTimeout().toSeconds() + " s and was"
                            + " cancelled (run " + run.conversationId() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("the server stopped waiting for run " + run.conversationId());
        } catch (ExecutionException e) {
            return error("run " + run.conversationId() + " failed: " + e.getCause());
        } finally {
            running.remove(run.conversationId());
        }
    }

    private McpSchema.CallToolResult result(String runId, Outcome outcome) {
        Map<String, Object> meta = Map.of(RUN_META, runId);
        return switch (outcome) {
            case Outcome.Completed completed -> {
                List<McpSchema.Content> content = new ArrayList<>();
                content.add(new McpSchema.TextContent(completed.result()));
                if (completed.payload() != null) {
                    content.add(new McpSchema.TextContent(completed.payload()));
                }
                yield McpSchema.CallToolResult.builder()
                        .content(content)
                        .isError(false)
                        .meta(meta)
                        .build();
            }
            case Outcome.BudgetExceeded exceeded ->
                McpSchema.CallToolResult.builder()
                        .addTextContent("the team ran out of budget: " + exceeded.describe())
                        .isError(true)
                        .meta(meta)
                        .build();
            case Outcome.Failed failed ->
                McpSchema.CallToolResult.builder()
                        .addTextContent("the team failed: " + failed.reason())
                        .isError(true)
                        .meta(meta)
                        .build();
            case Outcome.Cancelled cancelled ->
                McpSchema.CallToolResult.builder()
                        .addTextContent("the run was cancelled: " + cancelled.reason())
                        .isError(true)
                        .meta(meta)
                        .build();
        };
    }

    private McpSchema.CallToolResult callTool(Tool tool, McpSchema.CallToolRequest request) {
        if (closing.get()) {
            return error("the server is shutting down; call again when it is back");
        }
        String conversation = "mcp-" + UUID.randomUUID();
        try {
            String arguments = json.writeValueAsString(request.arguments() == null ? Map.of() : request.arguments());
            ToolResult result = tool.execute(new ToolInvocation(
                    arguments, ToolInvocation.idempotencyKey(conversation, 1), conversation, "mcp-client", 1));
            return McpSchema.CallToolResult.builder()
                    .addTextContent(result.content())
                    .isError(result.error())
                    .build();
        } catch (JsonProcessingException e) {
            return error("the arguments could not be read: " + e.getOriginalMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("the tool was stopped");
        } catch (Exception e) {
            return error("the tool '" + tool.name() + "' failed: " + e);
        }
    }

    private static McpSchema.CallToolResult error(String text) {
        return McpSchema.CallToolResult.builder()
                .addTextContent(text)
                .isError(true)
                .build();
    }

    /** The port of an HTTP server (the one chosen for port 0). */
    public int port() {
        if (http == null) {
            throw new IllegalStateException("a server on stdio has no port");
        }
        return http.port();
    }

    /** The MCP endpoint of an HTTP server. */
    public URI uri(String host) {
        return URI.create("http://" + host + ":" + port() + "/mcp");
    }

    /** Completes when a stdio client closed its end; never for HTTP, which ends when closed. */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    /** The runs this server is waiting for, by id. */
    public Set<String> running() {
        return Set.copyOf(running.keySet());
    }

    /**
     * Stops gracefully: new calls are refused, runs in flight may finish within the grace period and are then
     * cancelled, the sessions are closed and the HTTP server stops. The runtime is left to its owner.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        // After the client's input ended, its requests have had their grace already.
        long deadline = pipe != null && pipe.deadline() != 0
                ? pipe.deadline()
                : System.nanoTime() + settings.shutdownGrace().toNanos();
        for (RunHandle run : List.copyOf(running.values())) {
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                run.outcome().toCompletableFuture().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                run.cancel("the MCP server is shutting down");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                run.cancel("the MCP server is shutting down");
            } catch (ExecutionException e) {
                // ended already
            }
        }
        try {
            if (server != null) {
                server.closeGracefully();
            }
        } finally {
            if (http != null) {
                http.stop();
            }
            ended.complete(null);
        }
    }

    private static String version() {
        String version = McpTeamServer.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
