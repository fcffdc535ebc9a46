package io.troupe.interop.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.troupe.api.tool.ToolResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MCP server as Troupe sees it: a client session that is started on demand and started again after the server
 * died (at most {@link #MAX_RESTARTS} times in {@link #RESTART_WINDOW}), the tools it lists (refreshed when it says
 * its list changed), and tool calls as {@link ToolResult}s. A child process's exit is noticed at once, so that a call
 * in flight fails with its exit code and last error output rather than waiting for its time limit. Thread-safe.
 */
final class McpConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(McpConnection.class);
    /** The most restarts in {@link #RESTART_WINDOW}; a server that dies more often is reported, not restarted. */
    static final int MAX_RESTARTS = 3;

    static final Duration RESTART_WINDOW = Duration.ofMinutes(10);
    /** How long a stopped server may take to end before it is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private static final int STDERR_LINES = 20;
    /** The key under {@code _meta} that carries a call's idempotency key to the server. */
    static final String IDEMPOTENCY_META = "io.troupe/idempotency-key";

    private final McpServerSettings settings;
    private final ObjectMapper json;
    private final JacksonMcpJsonMapper mapper;
    private final SchemaValidator validator;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<String> stderr = new ArrayDeque<>();
    private final Deque<Instant> restarts = new ArrayDeque<>();
    private final List<Consumer<List<McpSchema.Tool>>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private @Nullable McpSyncClient client; // guarded by lock
    private @Nullable ProcessHandle process; // guarded by lock
    private volatile @Nullable String death;
    private volatile Map<String, McpSchema.Tool> tools = Map.of();
    private volatile boolean closed;

    McpConnection(McpServerSettings settings, ObjectMapper json, Clock clock) {
        this.settings = settings;
        this.json = json;
        this.mapper = new JacksonMcpJsonMapper(json);
        this.validator = new SchemaValidator(json);
        this.clock = clock;
    }

    McpServerSettings settings() {
        return settings;
    }

    /** Starts the server and reads its tools. */
    void start() throws McpUnavailableException {
        lock.lock();
        try {
            connect();
        } finally {
            lock.unlock();
        }
    }

    /** The offered tools the server lists now, by MCP name. */
    Map<String, McpSchema.Tool> tools() {
        return tools;
    }

    /** Hears each new tool list after the server announced a change. */
    void onToolsChanged(Consumer<List<McpSchema.Tool>> listener) {
        listeners.add(listener);
    }

    /** What the server wrote last on its standard error, for messages; "" when nothing or over HTTP. */
    String lastErrorOutput() {
        synchronized (stderr) {
            return String.join("\n", stderr);
        }
    }

    /** Calls the tool {@code mcpName} with {@code arguments} (a JSON object). */
    ToolResult call(String mcpName, String arguments, String idempotencyKey) {
        Map<String, Object> args;
        try {
            args = arguments.isBlank() ? Map.of() : json.readValue(arguments, new TypeReference<>() {});
        } catch (JsonProcessingException e) {
            return ToolResult.error("the arguments are not a JSON object: " + e.getOriginalMessage());
        }
        McpSyncClient session;
        try {
            session = session();
        } catch (McpUnavailableException e) {
            return ToolResult.error(e.getMessage());
        }
        McpSchema.CallToolRequest request = McpSchema.CallToolRequest.builder()
                .name(mcpName)
                .arguments(args)
                .meta(Map.of(IDEMPOTENCY_META, idempotencyKey))
                .build();
        try {
            return ToolResults.of(session.callTool(request), json);
        } catch (McpError e) {
            return ToolResult.error(
                    "MCP server '" + settings.name() + "' refused the call of '" + mcpName + "': " + e.getMessage());
        } catch (RuntimeException e) {
            return ToolResult.error(failure(e, mcpName, session));
        }
    }

    /** Why a call failed, for the model and the journal; marks the session broken so that the next call reconnects. */
    private String failure(RuntimeException e, String mcpName, McpSyncClient session) {
        if (interrupted(e)) {
            Thread.currentThread().interrupt();
            return "the call of '" + mcpName + "' on MCP server '" + settings.name() + "' was stopped: the run ended";
        }
        String dead = death;
        if (dead != null) {
            return "MCP server '" + settings.name() + "' " + dead + " during the call of '" + mcpName + "'"
                    + errorTail() + "; it is started again at the next call, so call the tool again if repeating it"
                    + " is safe";
        }
        drop(session);
        if (timedOut(e)) {
            return "MCP server '" + settings.name() + "' did not answer the call of '" + mcpName + "' within "
                    + settings.callTimeout().toSeconds() + " s (its 'timeout'); the session is started again at the"
                    + " next call";
        }
        return "the call of '" + mcpName + "' on MCP server '" + settings.name() + "' ("
                + settings.transport().describe() + ") failed: " + rootMessage(e) + errorTail()
                + "; the session is started again at the next call";
    }

    /** A live session: the current one, or a new one after the server died or the session broke. */
    private McpSyncClient session() throws McpUnavailableException {
        lock.lock();
        try {
            if (closed) {
                throw new McpUnavailableException("MCP server '" + settings.name() + "' is closed: Troupe is stopping");
            }
            if (client != null && death == null) {
                return client;
            }
            Instant now = clock.instant();
            while (!restarts.isEmpty() && restarts.peekFirst().isBefore(now.minus(RESTART_WINDOW))) {
                restarts.removeFirst();
            }
            if (restarts.size() >= MAX_RESTARTS) {
                throw new McpUnavailableException("MCP server '" + settings.name() + "' ("
                        + settings.transport().describe() + ") stopped " + (restarts.size() + 1) + " times within "
                        + RESTART_WINDOW.toMinutes() + " minutes, so it is not started again" + errorTail()
                        + "; fix the server and restart Troupe");
            }
            restarts.addLast(now);
            LOG.warn("Starting MCP server '{}' again ({})", settings.name(), death == null ? "session lost" : death);
            disconnect();
            connect();
            return java.util.Objects.requireNonNull(client);
        } finally {
            lock.unlock();
        }
    }

    /** Starts the transport and the handshake, and reads the tool list. Called with the lock held. */
    private void connect() throws McpUnavailableException {
        death = null;
        if (settings.transport() instanceof McpServerSettings.Stdio stdio) {
            String problem = StdioProgram.of(stdio).problem();
            if (problem != null) {
                throw new McpUnavailableException("MCP server '" + settings.name() + "' ("
                        + settings.transport().describe() + ") did not start: " + problem);
            }
        }
        McpClientTransport transport = McpTransports.of(settings, mapper, this::errorLine);
        McpSyncClient started = McpClient.sync(transport)
                .requestTimeout(settings.callTimeout())
                .initializationTimeout(settings.startTimeout())
                .clientInfo(new McpSchema.Implementation("troupe", "Troupe", version()))
                .jsonSchemaValidator(validator)
                .toolsChangeConsumer(this::toolsChanged)
                .build();
        try {
            started.initialize();
            client = started;
            process = transport instanceof StdioTransport stdio ? stdio.process() : null;
            if (process != null) {
                ProcessHandle watched = process;
                watched.onExit().thenRun(() -> exited(watched));
            }
            tools = offered(listAll(started));
        } catch (RuntimeException e) {
            // A server that started but did not answer must not outlive the attempt, nor what it started.
            ProcessHandle child = transport instanceof StdioTransport stdio ? stdio.process() : null;
            client = null;
            process = null;
            if (child != null) {
                StdioProgram.stop(child, STOP_GRACE);
            }
            started.close();
            throw new McpUnavailableException("MCP server '" + settings.name() + "' ("
                    + settings.transport().describe() + ") did not start: " + rootMessage(e) + errorTail()
                    + McpTransports.startHint(settings, e, transport));
        }
    }

    private List<McpSchema.Tool> listAll(McpSyncClient session) {
        List<McpSchema.Tool> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            McpSchema.ListToolsResult page = cursor == null ? session.listTools() : session.listTools(cursor);
            all.addAll(page.tools());
            cursor = page.nextCursor();
        } while (cursor != null && !cursor.isEmpty() && ++pages < 100);
        return all;
    }

    private Map<String, McpSchema.Tool> offered(List<McpSchema.Tool> listed) {
        Map<String, McpSchema.Tool> offered = new LinkedHashMap<>();
        for (McpSchema.Tool tool : listed) {
            if (settings.tools() == null || settings.tools().contains(tool.name())) {
                offered.put(tool.name(), tool);
            }
        }
        return Map.copyOf(offered);
    }

    private void toolsChanged(List<McpSchema.Tool> listed) {
        tools = offered(listed);
        LOG.info("MCP server '{}' changed its tools: {}", settings.name(), tools.keySet());
        listeners.forEach(listener -> listener.accept(listed));
    }

    private void errorLine(String line) {
        synchronized (stderr) {
            stderr.addLast(line.length() > 500 ? line.substring(0, 500) + "…" : line);
            while (stderr.size() > STDERR_LINES) {
                stderr.removeFirst();
            }
        }
    }

    private String errorTail() {
        String tail = lastErrorOutput().strip();
        if (tail.isEmpty()) {
            return "";
        }
        List<String> lines = tail.lines().toList();
        return "; its last error output: "
                + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    private void exited(ProcessHandle handle) {
        lock.lock();
        try {
            if (closed || handle != process) {
                return;
            }
            death = "exited";
            LOG.warn("MCP server '{}' {}{}", settings.name(), death, errorTail());
            McpSyncClient dead = client;
            client = null;
            process = null;
            if (dead != null) {
                dead.close(); // fails the calls in flight at once
            }
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a session whose transport failed, so that the next call starts a new one. */
    private void drop(McpSyncClient session) {
        lock.lock();
        try {
            if (client == session) {
                client = null;
                death = death == null ? "lost its session" : death;
                disconnect();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes the session and stops the child. Called with the lock held. */
    private void disconnect() {
        McpSyncClient old = client;
        ProcessHandle child = process;
        client = null;
        process = null;
        if (old != null) {
            try {
                old.closeGracefully();
            } catch (RuntimeException e) {
                old.close();
            }
        }
        if (child != null) {
            StdioProgram.stop(child, STOP_GRACE);
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            ProcessHandle child = process;
            List<ProcessHandle> family = child == null
                    ? List.of()
                    : java.util.stream.Stream.concat(java.util.stream.Stream.of(child), child.descendants())
                            .toList();
            disconnect();
            if (child != null) {
                // Wait here: the JVM may exit before stop's own deadline comes.
                child.onExit()
                        .completeOnTimeout(child, STOP_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                        .join();
                family.forEach(ProcessHandle::destroyForcibly);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Troupe's version as it introduces itself over MCP, as client and as server: its jar's, or "dev". */
    static String version() {
        return Optional.ofNullable(McpConnection.class.getPackage().getImplementationVersion())
                .orElse("dev");
    }

    static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException
                    || String.valueOf(t.getMessage()).startsWith("Timeout on blocking read")) {
                return true;
            }
        }
        return false;
    }

    private static boolean interrupted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException) {
                return true;
            }
        }
        return Thread.currentThread().isInterrupted();
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }
}
