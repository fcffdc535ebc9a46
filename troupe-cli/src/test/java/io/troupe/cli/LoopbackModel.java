package io.troupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An OpenAI-compatible chat-completions server on loopback for the CLI's integration tests: it answers from a script
 * of replies (an error status with headers, or a text with token counts), then with its default reply, and records
 * every request it received, with its time and model. Both the plain and the streaming (SSE) forms are served.
 */
final class LoopbackModel implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One scripted answer. */
    record Reply(
            int status,
            Map<String, String> headers,
            String text,
            long inputTokens,
            long outputTokens,
            String toolName,
            String toolArguments) {
        static Reply error(int status, Map<String, String> headers) {
            return new Reply(status, headers, "", 0, 0, "", "");
        }

        static Reply text(String text, long inputTokens, long outputTokens) {
            return new Reply(200, Map.of(), text, inputTokens, outputTokens, "", "");
        }

        /** A call of the tool {@code name} with the JSON {@code arguments}. */
        static Reply toolCall(String name, String arguments) {
            return new Reply(200, Map.of(), "", 10, 5, name, arguments);
        }
    }

    /** A request as received, with its JSON body. */
    record Request(Instant at, String model, boolean stream, String body) {}

    private final HttpServer server;
    private final Deque<Reply> script = new ArrayDeque<>();
    private final List<Request> requests = new ArrayList<>();
    private final Reply fallback;
    private final @Nullable Function<JsonNode, Reply> responder;

    LoopbackModel(Reply fallback, Reply... script) throws IOException {
        this(fallback, null, script);
    }

    /** A server that answers each request as {@code responder} says, given its JSON body. */
    LoopbackModel(Function<JsonNode, Reply> responder) throws IOException {
        this(Reply.text("", 0, 0), responder);
    }

    private LoopbackModel(Reply fallback, @Nullable Function<JsonNode, Reply> responder, Reply... script)
            throws IOException {
        this.fallback = fallback;
        this.responder = responder;
        this.script.addAll(List.of(script));
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    /** The base URL to put in a spec's {@code base-url}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Every request so far, in order. */
    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        boolean stream = body.path("stream").asBoolean(false);
        Reply reply;
        synchronized (this) {
            requests.add(new Request(Instant.now(), body.path("model").asText(), stream, body.toString()));
            reply = responder != null ? responder.apply(body) : script.isEmpty() ? fallback : script.poll();
        }
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        if (reply.status() != 200) {
            byte[] error = ("{\"error\":{\"message\":\"scripted " + reply.status() + "\",\"type\":\"server_error\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), error.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(error);
            }
            return;
        }
        String model = body.path("model").asText();
        String usage = "{\"prompt_tokens\":" + reply.inputTokens() + ",\"completion_tokens\":" + reply.outputTokens()
                + ",\"total_tokens\":" + (reply.inputTokens() + reply.outputTokens()) + "}";
        String text = JSON.writeValueAsString(reply.text());
        String payload;
        if (!reply.toolName().isEmpty()) {
            String call = "{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"" + reply.toolName()
                    + "\",\"arguments\":" + JSON.writeValueAsString(reply.toolArguments()) + "}}";
            if (stream) {
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                payload = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
                        + model
                        + "\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,"
                        + call.substring(1) + "]},\"finish_reason\":null}]}\n\n"
                        + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                        + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}],\"usage\":"
                        + usage
                        + "}\n\ndata: [DONE]\n\n";
            } else {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                payload = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + model
                        + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
                        + "\"tool_calls\":[" + call + "]},\"finish_reason\":\"tool_calls\"}],\"usage\":" + usage + "}";
            }
        } else if (stream) {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            payload = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                    + "\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":" + text
                    + "},\"finish_reason\":null}]}\n\n"
                    + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                    + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":" + usage
                    + "}\n\ndata: [DONE]\n\n";
        } else {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            payload = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + model
                    + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + text
                    + "},\"finish_reason\":\"stop\"}],\"usage\":" + usage + "}";
        }
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
