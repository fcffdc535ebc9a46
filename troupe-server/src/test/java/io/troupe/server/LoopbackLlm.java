package io.troupe.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible chat-completions server on loopback, for the server's integration tests. It answers as the
 * agents' instructions ask:
 *
 * <ul>
 *   <li>an agent whose instructions contain {@code CALL tool(args)} calls that tool once, then answers the tool's
 *       result back ({@code "tool said: ..."});
 *   <li>an agent whose instructions contain {@code HOLD name} waits until the test {@link #release}s that name;
 *   <li>an agent whose instructions contain {@code SECRET} answers the text the test set with {@link #secret}, which
 *       appears in no request (as a model that recalls personal data on its own);
 *   <li>every other call answers {@code "<agent instructions' first word> says: <the request>"}, streamed word by
 *       word when asked to stream.
 * </ul>
 */
final class LoopbackLlm implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile String secret = "";

    LoopbackLlm() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    int calls() {
        return calls.get();
    }

    /** What agents whose instructions contain {@code SECRET} answer. */
    void secret(String text) {
        this.secret = text;
    }

    /** Lets the calls held under {@code name} answer, now and from now on. */
    void release(String name) {
        latch(name).countDown();
    }

    private CountDownLatch latch(String name) {
        return holds.computeIfAbsent(name, key -> new CountDownLatch(1));
    }

    private void handle(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        boolean stream = body.path("stream").asBoolean(false);
        JsonNode messages = body.path("messages");
        String system = "";
        String lastUser = "";
        JsonNode last = messages.get(messages.size() - 1);
        for (JsonNode message : messages) {
            if (message.path("role").asText().equals("system")) {
                system = message.path("content").asText();
            } else if (message.path("role").asText().equals("user")) {
                lastUser = message.path("content").asText();
            }
        }
        int hold = system.indexOf("HOLD ");
        if (hold >= 0) {
            String name = system.substring(hold + 5).split("\\s")[0];
            try {
                if (!latch(name).await(2, TimeUnit.MINUTES)) {
                    exchange.sendResponseHeaders(503, -1);
                    exchange.close();
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        int call = system.indexOf("CALL ");
        String payload;
        if (last.path("role").asText().equals("tool")) {
            payload = text("tool said: " + last.path("content").asText(), stream);
        } else if (system.contains("SECRET")) {
            payload = text(secret, stream);
        } else if (call >= 0) {
            String spec = system.substring(call + 5).split("\\s")[0]; // name(args)
            String name = spec.substring(0, spec.indexOf('('));
            String args = spec.substring(spec.indexOf('(') + 1, spec.lastIndexOf(')'));
            payload = toolCall(name, args, stream);
        } else {
            String who = system.isBlank() ? "agent" : system.strip().split("\\s")[0];
            payload = text(who + " says: " + lastUser.strip().replaceAll("\\s+", " "), stream);
        }
        exchange.getResponseHeaders().add("Content-Type", stream ? "text/event-stream" : "application/json");
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String usage() {
        return "{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15}";
    }

    private static String text(String text, boolean stream) throws IOException {
        if (!stream) {
            return "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"loop\",\"choices\":[{\"index\":0,"
                    + "\"message\":{\"role\":\"assistant\",\"content\":" + JSON.writeValueAsString(text)
                    + "},\"finish_reason\":\"stop\"}],\"usage\":" + usage() + "}";
        }
        StringBuilder chunks = new StringBuilder();
        String[] words = text.split("(?<= )");
        for (String word : words) {
            chunks.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"loop\","
                            + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":")
                    .append(JSON.writeValueAsString(word))
                    .append("},\"finish_reason\":null}]}\n\n");
        }
        chunks.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"loop\","
                        + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":")
                .append(usage())
                .append("}\n\ndata: [DONE]\n\n");
        return chunks.toString();
    }

    private static String toolCall(String name, String arguments, boolean stream) throws IOException {
        String call = "{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"" + name + "\",\"arguments\":"
                + JSON.writeValueAsString(arguments) + "}}";
        if (!stream) {
            return "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"loop\",\"choices\":[{\"index\":0,"
                    + "\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + call
                    + "]},\"finish_reason\":\"tool_calls\"}],\"usage\":" + usage() + "}";
        }
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"loop\",\"choices\":"
                + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0," + call.substring(1)
                + "]},\"finish_reason\":null}]}\n\n"
                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"loop\",\"choices\":"
                + "[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}],\"usage\":" + usage()
                + "}\n\ndata: [DONE]\n\n";
    }

    @Override
    public void close() {
        holds.values().forEach(CountDownLatch::countDown);
        server.stop(0);
    }
}
