package io.troupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * A loopback server that speaks OpenAI's {@code POST /v1/chat/completions}: each reply is chosen by a script from the
 * model name and the request's messages, so a spec's hosted models can be scripted for the command-line tests.
 */
final class ScriptedChatServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final BiFunction<String, String, String> script;
    private final List<String> models = new CopyOnWriteArrayList<>();

    /** @param script (model, all message texts joined by newlines) → the assistant's answer */
    ScriptedChatServer(BiFunction<String, String, String> script) throws IOException {
        this.script = script;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::chat);
        server.start();
    }

    /** The base URL to put under {@code base-url}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The model of every request, in order. */
    List<String> models() {
        return List.copyOf(models);
    }

    private void chat(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        String model = request.path("model").asText();
        models.add(model);
        StringBuilder prompt = new StringBuilder();
        for (JsonNode message : request.path("messages")) {
            prompt.append(message.path("content").asText("")).append('\n');
        }
        String answer = script.apply(model, prompt.toString());
        int promptTokens = prompt.length() / 4;
        int answerTokens = Math.max(1, answer.length() / 4);
        if (request.path("stream").asBoolean(false)) {
            stream(exchange, model, answer, promptTokens, answerTokens);
            return;
        }
        ObjectNode body = JSON.createObjectNode()
                .put("id", "chatcmpl-" + models.size())
                .put("object", "chat.completion")
                .put("created", 1)
                .put("model", model);
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", answer);
        body.putObject("usage")
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", answerTokens)
                .put("total_tokens", promptTokens + answerTokens);
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Server-sent events: the answer in word-sized chunks, the finish reason, the usage, then [DONE]. */
    private void stream(HttpExchange exchange, String model, String answer, int promptTokens, int answerTokens)
            throws IOException {
        StringBuilder events = new StringBuilder();
        events.append(
                chunk(model, JSON.createObjectNode().put("role", "assistant").put("content", ""), null));
        for (String piece : answer.split("(?<= )")) {
            events.append(chunk(model, JSON.createObjectNode().put("content", piece), null));
        }
        events.append(chunk(model, JSON.createObjectNode(), "stop"));
        ObjectNode usage = JSON.createObjectNode()
                .put("id", "chatcmpl-" + models.size())
                .put("object", "chat.completion.chunk")
                .put("created", 1)
                .put("model", model);
        usage.putArray("choices");
        usage.putObject("usage")
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", answerTokens)
                .put("total_tokens", promptTokens + answerTokens);
        events.append("data: ").append(usage).append("\n\n").append("data: [DONE]\n\n");
        byte[] bytes = events.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String chunk(String model, ObjectNode delta, String finish) {
        ObjectNode chunk = JSON.createObjectNode()
                .put("id", "chatcmpl-" + models.size())
                .put("object", "chat.completion.chunk")
                .put("created", 1)
                .put("model", model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return "data: " + chunk + "\n\n";
    }

    /** A script that answers from a table: the first key found in the prompt picks the answer. */
    static BiFunction<String, String, String> table(Map<String, Map<String, String>> answersByModel) {
        return (model, prompt) -> {
            Map<String, String> answers = answersByModel.getOrDefault(model, Map.of());
            return answers.entrySet().stream()
                    .filter(e -> prompt.contains(e.getKey()))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse("I do not know.");
        };
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
