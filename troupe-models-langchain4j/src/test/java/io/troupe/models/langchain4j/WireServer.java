package io.troupe.models.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP server that answers with scripted replies, in order, and records every request. A request with no
 * reply left gets HTTP 418 and is recorded, so that tests can fail on unexpected calls; {@link #close()} is where a
 * test checks that every reply was used.
 */
final class WireServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the server saw it; header names are lower case. */
    record Recorded(String method, String path, Map<String, List<String>> headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("request body is not JSON: " + body, e);
            }
        }

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
    }

    /** A scripted reply: status, headers, and a body written in the given chunks (one flush per chunk). */
    record Reply(
            int status,
            Map<String, String> headers,
            List<String> chunks,
            boolean dropConnection,
            java.util.concurrent.@org.jspecify.annotations.Nullable CountDownLatch gate) {
        Reply(int status, Map<String, String> headers, List<String> chunks, boolean dropConnection) {
            this(status, headers, chunks, dropConnection, null);
        }

        /** This reply, sent only once {@code gate} opens. */
        Reply after(java.util.concurrent.CountDownLatch gate) {
            return new Reply(status, headers, chunks, dropConnection, gate);
        }

        static Reply json(String body) {
            return new Reply(200, Map.of("Content-Type", "application/json"), List.of(body), false);
        }

        /** Server-sent events; each element is one event's lines, without the blank separator line. */
        static Reply sse(String... events) {
            List<String> chunks = new ArrayList<>();
            for (String event : events) {
                chunks.add(event + "\n\n");
            }
            return new Reply(200, Map.of("Content-Type", "text/event-stream"), chunks, false);
        }

        static Reply ndjson(String... lines) {
            List<String> chunks = new ArrayList<>();
            for (String line : lines) {
                chunks.add(line + "\n");
            }
            return new Reply(200, Map.of("Content-Type", "application/x-ndjson"), chunks, false);
        }

        static Reply error(int status, String body, Map<String, String> headers) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put("Content-Type", "application/json");
            return new Reply(status, all, List.of(body), false);
        }

        /** Closes the connection without answering, as a reset or a crashed proxy would. */
        static Reply drop() {
            return new Reply(0, Map.of(), List.of(), true);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final List<Recorded> unexpected = new CopyOnWriteArrayList<>();

    WireServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** {@code http://127.0.0.1:<port>} followed by {@code path}. */
    String url(String path) {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort() + path;
    }

    WireServer reply(Reply... scripted) {
        replies.addAll(List.of(scripted));
        return this;
    }

    List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** The one request this server received; fails if there were none or several. */
    Recorded onlyRequest() {
        if (requests.size() != 1) {
            throw new AssertionError("expected exactly one request, got " + requests.size() + ": " + requests);
        }
        return requests.getFirst();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders()
                .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Recorded recorded = new Recorded(
                exchange.getRequestMethod(), exchange.getRequestURI().getPath(), Map.copyOf(headers), body);
        requests.add(recorded);
        Reply reply = replies.poll();
        if (reply == null) {
            unexpected.add(recorded);
            byte[] text = "no scripted reply left".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(418, text.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(text);
            }
            return;
        }
        if (reply.gate() != null) {
            try {
                if (!reply.gate().await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IOException("gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        if (reply.dropConnection()) {
            exchange.close();
            return;
        }
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(reply.status(), 0); // chunked: streams flush chunk by chunk
        try (OutputStream out = exchange.getResponseBody()) {
            for (String chunk : reply.chunks()) {
                out.write(chunk.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        if (!unexpected.isEmpty()) {
            throw new AssertionError("unexpected requests with no scripted reply: " + unexpected);
        }
        if (!replies.isEmpty()) {
            throw new AssertionError("scripted replies never requested: " + replies);
        }
    }
}
