package io.troupe.interop.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An A2A agent that is not Troupe and knows no extension: a card without streaming, and a JSON-RPC endpoint that
 * answers each method with what the test says (a JSON {@code result}, or an {@code error}). Every request is
 * recorded.
 */
final class PlainAgent implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final Function<JsonNode, JsonNode> answers;

    /** @param answers the JSON-RPC response object (result or error) for a request */
    PlainAgent(Function<JsonNode, JsonNode> answers) throws IOException {
        this.answers = answers;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/agent-card.json", this::card);
        server.createContext("/rpc", this::rpc);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    private void card(HttpExchange exchange) throws IOException {
        String card = """
                {"name": "plain", "description": "A plain agent", "version": "1",
                 "supportedInterfaces": [{"url": "%s/rpc", "protocolBinding": "JSONRPC", "protocolVersion": "1.0"}],
                 "capabilities": {"streaming": false},
                 "defaultInputModes": ["text/plain"], "defaultOutputModes": ["text/plain"],
                 "skills": [{"id": "echo", "name": "echo", "description": "answers", "tags": ["echo"]}]}""".formatted(url());
        write(exchange, card);
    }

    private void rpc(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        requests.add(request);
        ObjectNode response = JSON.createObjectNode();
        response.put("jsonrpc", "2.0");
        response.set("id", request.get("id"));
        JsonNode answer = answers.apply(request);
        response.setAll((ObjectNode) answer);
        write(exchange, JSON.writeValueAsString(response));
    }

    private static void write(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
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
