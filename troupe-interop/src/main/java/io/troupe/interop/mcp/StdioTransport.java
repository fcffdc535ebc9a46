package io.troupe.interop.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The client side of MCP's stdio transport, in place of the SDK's {@code StdioClientTransport}: it starts the
 * server's program and exchanges JSON-RPC messages with it, one a line, over its standard input and output.
 *
 * <p>A line on the server's standard output that is no JSON-RPC message (a banner, a log line: a server that logs to
 * the wrong stream) is skipped with a one-line warning naming the server, and kept for the message when the handshake
 * never completes ({@link #noise()}). The SDK's transport logs such a line with a stack trace and stops reading, so
 * that every later answer is lost. Troupe also holds the process itself ({@link #process()}), so it watches and stops
 * exactly the process it started. Thread-safe.
 */
final class StdioTransport implements McpClientTransport {
    private static final Logger LOG = LoggerFactory.getLogger(StdioTransport.class);
    /** The longest line read, as the SDK's transport allows: 16 MiB. */
    private static final int MAX_LINE = 16 << 20;
    /** How many lines of noise are each warned about; later ones are counted. */
    private static final int WARNED = 5;
    /** How long a stopped server may take to end before it is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final String server;
    private final McpServerSettings.Stdio stdio;
    private final McpJsonMapper mapper;
    private final Consumer<String> errorLines;
    private final ExecutorService writer;
    private @Nullable String firstNoise; // guarded by this
    private int noiseLines; // guarded by this

    /** The process, once {@link #connect} started it: messages sent before wait for it. */
    private final CompletableFuture<Process> started = new CompletableFuture<>();

    private volatile boolean closing;

    /**
     * @param server the server's name, for messages
     * @param errorLines hears each line of the server's standard error
     */
    StdioTransport(String server, McpServerSettings.Stdio stdio, McpJsonMapper mapper, Consumer<String> errorLines) {
        this.server = server;
        this.stdio = stdio;
        this.mapper = mapper;
        this.errorLines = errorLines;
        // One writer, so that messages reach the server in the order they were sent.
        this.writer = Executors.newSingleThreadExecutor(
                Thread.ofVirtual().name("troupe-mcp-" + server + "-stdin").factory());
    }

    /** The server's process once started, or null. */
    @Nullable
    ProcessHandle process() {
        Process process = started.getNow(null);
        return process == null ? null : process.toHandle();
    }

    /**
     * What the server wrote to its standard output that is no JSON-RPC message, for a message: {@code 'Listening on
     * 3000' (and 2 more such lines)}; null when it wrote none.
     */
    synchronized @Nullable String noise() {
        if (firstNoise == null) {
            return null;
        }
        int more = noiseLines - 1;
        return "'" + firstNoise + "'"
                + (more == 0 ? "" : " (and " + more + " more such line" + (more == 1 ? "" : "s") + ")");
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        return Mono.<Void>fromRunnable(() -> {
                    ProcessBuilder builder = new ProcessBuilder(stdio.command());
                    if (stdio.directory() != null) {
                        builder.directory(stdio.directory().toFile());
                    }
                    builder.environment().putAll(stdio.environment());
                    Process process;
                    try {
                        process = builder.start();
                    } catch (IOException e) {
                        started.completeExceptionally(e);
                        throw new UncheckedIOException(e);
                    }
                    Thread.ofVirtual().name("troupe-mcp-" + server + "-stdout").start(() -> read(process, handler));
                    Thread.ofVirtual().name("troupe-mcp-" + server + "-stderr").start(() -> readErrors(process));
                    started.complete(process);
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    private void read(
            Process process, Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = readLine(reader); line != null; line = readLine(reader)) {
                if (line.isBlank()) {
                    continue;
                }
                McpSchema.JSONRPCMessage message;
                try {
                    message = McpSchema.deserializeJsonRpcMessage(mapper, line);
                } catch (IOException | RuntimeException e) {
                    noise(line);
                    continue;
                }
                handler.apply(Mono.just(message))
                        .subscribe(
                                answered -> {},
                                failure -> LOG.warn(
                                        "MCP server '{}': a message from it could not be handled: {}",
                                        server,
                                        McpConnection.rootMessage(failure)));
            }
        } catch (IOException e) {
            if (!closing) {
                LOG.warn("MCP server '{}': its standard output could not be read: {}", server, e.getMessage());
            }
        }
    }

    /** The next line, or null at the end; a line over {@link #MAX_LINE} is noise, cut short. */
    private static @Nullable String readLine(BufferedReader reader) throws IOException {
        StringBuilder line = new StringBuilder();
        int c = reader.read();
        if (c < 0) {
            return null;
        }
        boolean over = false;
        while (c >= 0 && c != '\n') {
            if (line.length() < MAX_LINE) {
                line.append((char) c);
            } else {
                over = true;
            }
            c = reader.read();
        }
        int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
        return over ? "(a line longer than " + (MAX_LINE >> 20) + " MiB)" : line.substring(0, end);
    }

    private void noise(String line) {
        String shown = line.strip();
        shown = shown.length() > 200 ? shown.substring(0, 200) + "…" : shown;
        int count;
        synchronized (this) {
            count = ++noiseLines;
            if (firstNoise == null) {
                firstNoise = shown;
            }
        }
        if (count <= WARNED) {
            LOG.warn(
                    "MCP server '{}' wrote a line that is no JSON-RPC message to its standard output, ignored: {}",
                    server,
                    shown);
        } else if (count == WARNED + 1) {
            LOG.warn(
                    "MCP server '{}' keeps writing lines that are no JSON-RPC message to its standard output; they are"
                            + " ignored without a warning (its logs belong on standard error)",
                    server);
        }
    }

    private void readErrors(Process process) {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                errorLines.accept(line);
            }
        } catch (IOException e) {
            // the server has gone; its exit is noticed elsewhere
        }
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return Mono.fromFuture(() -> CompletableFuture.runAsync(() -> write(message), writer));
    }

    private void write(McpSchema.JSONRPCMessage message) {
        Process process = started.join();
        if (closing) {
            throw new IllegalStateException("MCP server '" + server + "' is closed");
        }
        try {
            OutputStream in = process.getOutputStream();
            in.write((mapper.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the standard input of MCP server '" + server + "'", e);
        }
    }

    /** Closes the server's standard input and stops it and what it started; waits a little for its end. */
    @Override
    public Mono<Void> closeGracefully() {
        return Mono.<Void>fromRunnable(() -> {
                    closing = true;
                    started.completeExceptionally(new IllegalStateException("closed before it started"));
                    writer.shutdown();
                    Process process = started.getNow(null);
                    if (process == null) {
                        return;
                    }
                    try {
                        process.getOutputStream().close();
                    } catch (IOException e) {
                        // it has gone already
                    }
                    StdioProgram.stop(process.toHandle(), STOP_GRACE);
                    process.onExit()
                            .completeOnTimeout(process, 2, java.util.concurrent.TimeUnit.SECONDS)
                            .join();
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> type) {
        return mapper.convertValue(data, type);
    }
}
