package io.troupe.interop.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.troupe.api.Checks;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.Tool;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * finish and are then cancelled (they stay in the journal), and the sessions end. What the server declares is {@code
 * ServedTools}', the calls are answered by {@code ToolCalls}; this class keeps the transports and the shutdown.
 * Thread-safe.
 */
public final class McpTeamServer implements AutoCloseable {
    /** The key under a result's {@code _meta} that names the run, for {@code troupe replay}. */
    public static final String RUN_META = "io.troupe/run-id";

    private final Settings settings;
    private final ObjectMapper json = new ObjectMapper();
    private final ToolCalls calls;
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
        this.settings = settings;
        this.calls = new ToolCalls(troupe, team, settings, json);
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
        served.server = ServedTools.configure(
                        McpServer.sync(new StdioServerTransportProvider(mapper, watched, pipe.output())),
                        mapper,
                        served.json,
                        team,
                        settings,
                        tools,
                        served.calls)
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
        served.server = ServedTools.configure(
                        McpServer.sync(transport), mapper, served.json, team, settings, tools, served.calls)
                .build();
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
        return calls.running();
    }

    /**
     * Stops gracefully: new calls are refused, runs in flight may finish within the grace period and are then
     * cancelled, the sessions are closed and the HTTP server stops. The runtime is left to its owner.
     */
    @Override
    public void close() {
        if (!calls.stop()) {
            return;
        }
        // After the client's input ended, its requests have had their grace already.
        long deadline = pipe != null && pipe.deadline() != 0
                ? pipe.deadline()
                : System.nanoTime() + settings.shutdownGrace().toNanos();
        for (RunHandle run : calls.runs()) {
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
}
