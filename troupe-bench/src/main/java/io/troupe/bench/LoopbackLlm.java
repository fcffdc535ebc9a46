package io.troupe.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.troupe.api.model.LanguageModel;
import io.troupe.models.langchain4j.ApiKey;
import io.troupe.models.langchain4j.OpenAiCompatible;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible chat-completions server on loopback, in a JVM of its own, so that a benchmark's process CPU
 * counts the client's share of a model call and not the server's: every {@code POST /v1/chat/completions} gets the
 * same short answer at once, as one JSON object, or as server-sent events when the request streams. It is also an
 * OTLP/HTTP receiver that takes spans and metrics and drops them ({@link #otlpEndpoint}), so that a traced benchmark
 * needs no receiver of its own and the receiver's CPU is not counted either. {@link #start}
 * launches it as a child process, which exits when its parent closes it or dies (its standard input closes).
 */
final class LoopbackLlm implements AutoCloseable {
    private static final String ANSWER = "The answer is 42.";
    private static final String USAGE = "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17}";

    private final Process process;
    private final int port;

    private LoopbackLlm(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the server in a child JVM with this JVM's class path, and waits until it listens. */
    static LoopbackLlm start() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(
                        java.toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        LoopbackLlm.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("PORT ")) {
            process.destroyForcibly();
            throw new IOException("the loopback model server did not start: " + line);
        }
        return new LoopbackLlm(process, Integer.parseInt(line.substring(5).strip()));
    }

    /** A model that calls this server through Troupe's OpenAI-compatible client. */
    LanguageModel model() {
        return OpenAiCompatible.builder()
                .baseUrl("http://127.0.0.1:" + port + "/v1")
                .apiKey(ApiKey.fromConfiguration("sk-bench", "bench"))
                .model("gpt-test")
                .build();
    }

    /** The address of its OTLP/HTTP receiver, for {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
    URI otlpEndpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The CPU time the server process has used so far, in nanoseconds (0 if unknown). */
    long cpuNanos() {
        return process.info()
                .totalCpuDuration()
                .map(java.time.Duration::toNanos)
                .orElse(0L);
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        process.destroy();
    }

    /** The server: prints {@code PORT n} once it listens, and exits when standard input closes. */
    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", LoopbackLlm::answer);
        server.createContext("/v1/traces", LoopbackLlm::take);
        server.createContext("/v1/metrics", LoopbackLlm::take);
        server.start();
        System.out.println("PORT " + server.getAddress().getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent to close standard input
        }
        server.stop(0);
        System.exit(0);
    }

    /** Takes an OTLP export and answers success (an empty protobuf response). */
    private static void take(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
        exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        boolean stream = request.replace(" ", "").contains("\"stream\":true");
        String body;
        if (stream) {
            String chunk = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-test\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":%s}]%s}";
            StringBuilder events = new StringBuilder();
            for (String piece : List.of("The answer ", "is 42.")) {
                events.append("data: ")
                        .append(chunk.formatted(piece, "null", ""))
                        .append("\n\n");
            }
            events.append("data: ")
                    .append(chunk.formatted("", "\"stop\"", "," + USAGE))
                    .append("\n\n");
            body = events.append("data: [DONE]\n\n").toString();
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        } else {
            body = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-test\",\"choices\":"
                    + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + ANSWER + "\"},"
                    + "\"finish_reason\":\"stop\"}]," + USAGE + "}";
            exchange.getResponseHeaders().add("Content-Type", "application/json");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
