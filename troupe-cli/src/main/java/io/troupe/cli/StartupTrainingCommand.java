package io.troupe.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.troupe.server.TroupeServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The training run for the JDK's AOT cache, which {@code ./troupe} makes once after each build (JDK 25 and later):
 * the JVM records the classes this run loads and links, and later starts load them from the cache instead of from
 * the jars. It does what a first {@code troupe run} does, offline: reads a spec, checks it, starts a runtime on a
 * file journal, runs a two-agent team against an OpenAI-compatible server on loopback (streamed, as {@code run}
 * follows it), prints the transcript, lists the journal's runs and closes; then what a first {@code troupe serve}
 * does: serves the spec folder, runs the spec through the HTTP API, follows its event stream and reads the console's
 * page. Everything it writes goes to a temporary directory, removed at the end.
 */
@Command(
        name = "startup-training",
        hidden = true,
        description = "Exercises start-up for the JDK's AOT cache (run by ./troupe; offline, leaves nothing behind).")
final class StartupTrainingCommand implements Callable<Integer> {
    private static final String ANSWER = "A short answer, streamed in a few pieces, as a model would send it.";

    @Override
    public Integer call() throws IOException, InterruptedException {
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
            int served = serve(dir);
            return validated == Main.OK && ran == Main.OK && listed == Main.OK && served == Main.OK
                    ? Main.OK
                    : Main.RUN_FAILED;
        } finally {
            server.stop(0);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Serves the specs of {@code dir}, runs {@code training} through the API, follows it to its end, then stops. */
    private static int serve(Path dir) throws IOException, InterruptedException {
        ServeOptions options = new ServeOptions();
        new CommandLine(options)
                .parseArgs(
                        "--spec-dir",
                        dir.toString(),
                        "--port",
                        "0",
                        "--journal",
                        dir.resolve("served").toString());
        try (TroupeServer server = options.builder().start();
                HttpClient http = HttpClient.newHttpClient()) {
            System.err.println(options.banner(server));
            HttpResponse<String> started = http.send(
                    HttpRequest.newBuilder(server.uri().resolve("/api/runs"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"spec\": \"training\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            String run = started.headers().firstValue("Location").orElse(null);
            if (started.statusCode() != 201 || run == null) {
                System.err.println("the server did not start the run: " + started.statusCode() + " " + started.body());
                return Main.RUN_FAILED;
            }
            HttpResponse<String> stream = http.send(
                    HttpRequest.newBuilder(URI.create(run + "/stream"))
                            .timeout(Duration.ofMinutes(1))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            http.send(
                    HttpRequest.newBuilder(server.uri().resolve("/")).build(), HttpResponse.BodyHandlers.discarding());
            return stream.statusCode() == 200 ? Main.OK : Main.RUN_FAILED;
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
