package io.troupe.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * The training run for the JDK's AOT cache, which {@code ./troupe} makes once after each build (JDK 25 and later):
 * the JVM records the classes this run loads and links, and later starts load them from the cache instead of from
 * the jars. It does what a first {@code troupe run} does, offline: reads a spec, checks it, starts a runtime on a
 * file journal, runs a two-agent team against an OpenAI-compatible server on loopback (streamed, as {@code run}
 * follows it), prints the transcript, lists the journal's runs and closes. Everything it writes goes to a temporary
 * directory, removed at the end.
 */
@Command(
        name = "startup-training",
        hidden = true,
        description = "Exercises start-up for the JDK's AOT cache (run by ./troupe; offline, leaves nothing behind).")
final class StartupTrainingCommand implements Callable<Integer> {
    private static final String ANSWER = "A short answer, streamed in a few pieces, as a model would send it.";

    @Override
    public Integer call() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", StartupTrainingCommand::answer);
        server.start();
        Path dir = Files.createTempDirectory("troupe-startup-training");
        try {
            Path spec = dir.resolve("training.yaml");
            Files.writeString(spec, """
                    troupe: 1
                    name: startup-training
                    models:
                      local: { provider: openai, model: gpt-4o-mini, base-url: "http://127.0.0.1:%d/v1" }
                    agents:
                      - { id: writer, role: author, model: local, instructions: "Write." }
                      - { id: editor, role: editor, model: local, instructions: "Edit." }
                    team: { mechanism: sequential, order: [writer, editor] }
                    budget: { tokens: 20000, turns: 6, wall: 1m }
                    task: "A lighthouse keeper finds a message in a bottle."
                    """.formatted(server.getAddress().getPort()));
            String journal = dir.resolve("journal").toString();
            int validated = Main.execute("validate", spec.toString());
            int ran = Main.execute("run", spec.toString(), "--journal", journal);
            int listed = Main.execute("runs", "--journal", journal);
            return validated == Main.OK && ran == Main.OK && listed == Main.OK ? Main.OK : Main.RUN_FAILED;
        } finally {
            server.stop(0);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Answers a chat completion: in server-sent events when the request streams, as one JSON object otherwise. */
    private static void answer(HttpExchange exchange) throws IOException {
        String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        boolean stream = request.replace(" ", "").contains("\"stream\":true");
        String usage = "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":12,\"total_tokens\":32}";
        String chunk = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":%s}]%s}";
        String body;
        if (stream) {
            StringBuilder events = new StringBuilder();
            for (String piece : ANSWER.split("(?<= )")) {
                events.append("data: ")
                        .append(chunk.formatted(piece, "null", ""))
                        .append("\n\n");
            }
            events.append("data: ")
                    .append(chunk.formatted("", "\"stop\"", "," + usage))
                    .append("\n\n");
            body = events.append("data: [DONE]\n\n").toString();
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        } else {
            body = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":"
                    + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + ANSWER + "\"},"
                    + "\"finish_reason\":\"stop\"}]," + usage + "}";
            exchange.getResponseHeaders().add("Content-Type", "application/json");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
