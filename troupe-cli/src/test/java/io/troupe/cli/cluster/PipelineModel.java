package io.troupe.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible model server on loopback for the cluster tests, answering each call after a fixed latency: an
 * agent whose instructions say "Agent aN" and who is offered the {@code effect} tool calls it once (and answers once
 * the tool's result is in its prompt), and likewise for the {@code ledger} tool; every other call answers "aN done.".
 * Serves plain and streamed answers.
 */
final class PipelineModel implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern AGENT = Pattern.compile("Agent (a[0-9]+)\\b");
    /** The tools an agent calls once, when offered. */
    private static final java.util.Set<String> TOOLS = java.util.Set.of("effect", "ledger");

    private final HttpServer server;
    private final Duration latency;
    private final AtomicLong calls = new AtomicLong();
    /** Open unless the test holds the model's answers back: they wait for {@link #release}. */
    private volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(0);
    /** The agent whose answers are held, or null for all. */
    private volatile String held;

    PipelineModel(Duration latency) throws IOException {
        this.latency = latency;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    /** The base URL for a spec's {@code base-url}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Holds every answer back until {@link #release}: so that many runs are started before any moves on. */
    void hold() {
        hold(null);
    }

    /** Holds back the answers to agent {@code agent} (every agent if null) until {@link #release}. */
    void hold(String agent) {
        held = agent;
        gate = new java.util.concurrent.CountDownLatch(1);
    }

    /** Lets the held answers go (each still after the model's latency). */
    void release() {
        gate.countDown();
    }

    /** How many calls the server has answered. */
    long calls() {
        return calls.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            boolean stream = body.path("stream").asBoolean(false);
            String agent = "a?";
            boolean toolResult = false;
            for (JsonNode message : body.path("messages")) {
                String role = message.path("role").asText();
                if (role.equals("system")) {
                    Matcher matcher = AGENT.matcher(message.path("content").asText());
                    if (matcher.find()) {
                        agent = matcher.group(1);
                    }
                }
                toolResult |= role.equals("tool");
            }
            String offered = null;
            for (JsonNode tool : body.path("tools")) {
                String name = tool.path("function").path("name").asText();
                if (TOOLS.contains(name)) {
                    offered = name;
                }
            }
            try {
                if (held == null || held.equals(agent)) {
                    gate.await();
                }
                Thread.sleep(latency); // the model's latency, as a remote model has
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            String model = body.path("model").asText();
            String payload = offered != null && !toolResult
                    ? toolCall(model, offered, agent, stream)
                    : text(model, agent + " done.", stream);
            byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", stream ? "text/event-stream" : "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
            calls.incrementAndGet();
        }
    }

    private static final String USAGE = "{\"prompt_tokens\":40,\"completion_tokens\":5,\"total_tokens\":45}";

    private static String text(String model, String text, boolean stream) throws IOException {
        String quoted = JSON.writeValueAsString(text);
        if (stream) {
            return chunk(model, "{\"role\":\"assistant\",\"content\":" + quoted + "}", "null")
                    + chunk(model, "{}", "\"stop\"").replace("}]}", "}],\"usage\":" + USAGE + "}")
                    + "data: [DONE]\n\n";
        }
        return "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + quoted
                + "},\"finish_reason\":\"stop\"}],\"usage\":" + USAGE + "}";
    }

    private static String toolCall(String model, String tool, String agent, boolean stream) throws IOException {
        String arguments = JSON.writeValueAsString("{\"note\":\"" + agent + "\"}");
        String call = "\"id\":\"call_" + agent + "\",\"type\":\"function\",\"function\":{\"name\":\"" + tool
                + "\",\"arguments\":" + arguments + "}";
        if (stream) {
            return chunk(model, "{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0," + call + "}]}", "null")
                    + chunk(model, "{}", "\"tool_calls\"").replace("}]}", "}],\"usage\":" + USAGE + "}")
                    + "data: [DONE]\n\n";
        }
        return "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{"
                + call + "}]},\"finish_reason\":\"tool_calls\"}],\"usage\":" + USAGE + "}";
    }

    private static String chunk(String model, String delta, String finish) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
