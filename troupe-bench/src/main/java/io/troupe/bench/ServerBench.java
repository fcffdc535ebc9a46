package io.troupe.bench;

import com.sun.net.httpserver.HttpServer;
import io.troupe.runtime.Journal;
import io.troupe.server.InlineSpecs;
import io.troupe.server.TroupeServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP API's figures on one node: runs started per second through {@code POST /api/runs}, and server-sent events
 * per second to one client, both over real loopback sockets, with models on an OpenAI-compatible loopback server
 * that answers at once.
 *
 * <p>Arguments: {@code [h2|memory] [seconds] [clients]}; defaults {@code h2 20 16}. The stream figure reads a finished
 * run of a 300-agent pipeline from its first event (catch-up, tokens left out) several times, and follows one such
 * run live.
 */
public final class ServerBench {
    private static final Pattern RUN_ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    private ServerBench() {}

    public static void main(String[] args) throws Exception {
        boolean memory = args.length > 0 && args[0].equalsIgnoreCase("memory");
        Duration measured = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 20);
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        String label = memory ? "memory" : "h2";
        Path dir = Files.createTempDirectory("troupe-bench-server");
        HttpServer llm = loopbackLlm();
        String base = "http://127.0.0.1:" + llm.getAddress().getPort() + "/v1";
        Path specs = Files.createDirectories(dir.resolve("specs"));
        String model = "models:\n  m: { provider: openai, model: sim, base-url: \"" + base + "\" }\n";
        Files.writeString(
                specs.resolve("solo.yaml"),
                "troupe: 1\nname: solo\n" + model
                        + "agents:\n  - { id: a, model: m, instructions: \"You answer.\" }\ntask: \"Say hi\"\n");
        StringBuilder pipeline = new StringBuilder("troupe: 1\nname: long\n" + model + "agents:\n");
        for (int i = 0; i < 300; i++) {
            pipeline.append("  - { id: a")
                    .append(i)
                    .append(", model: m, instructions: \"Step ")
                    .append(i)
                    .append(".\" }\n");
        }
        pipeline.append("budget: { turns: 1000, tokens: 100000000, wall: 30m }\ntask: \"Go\"\n");
        Files.writeString(specs.resolve("long.yaml"), pipeline.toString());

        try (TroupeServer server = TroupeServer.builder()
                .port(0)
                .journal(memory ? Journal.inMemory() : Journal.h2(dir.resolve("journal")))
                .specFolder(specs)
                .inlineSpecs(InlineSpecs.OFF)
                .runtime(runtime -> runtime.config(JournalKind.BENCH_CONFIG))
                .start()) {
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .build();
            URI uri = server.uri();
            startRuns(http, uri, clients, Duration.ofSeconds(5), label, false);
            startRuns(http, uri, clients, measured, label, true);

            String longRun = start(http, uri, "long");
            long live = System.nanoTime();
            long liveEvents = stream(http, uri, longRun);
            double liveSeconds = (System.nanoTime() - live) / 1e9;
            Figures.print(
                    "SSE events/s to one client, live run, " + label,
                    liveEvents / liveSeconds,
                    "events/s",
                    "bounded by how fast the 300-step run produces them");
            long total = 0;
            long begin = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                total += stream(http, uri, longRun);
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            Figures.print(
                    "SSE events/s to one client, catch-up, " + label,
                    total / seconds,
                    "events/s",
                    "goal ≥ 5000: " + Figures.verdict(5000, total / seconds));
            Figures.info("streamed " + total + " events of a run with " + liveEvents + " in "
                    + String.format("%.2f", seconds) + " s");
        } finally {
            llm.stop(0);
        }
    }

    private static void startRuns(
            HttpClient http, URI uri, int clients, Duration duration, String label, boolean report) throws Exception {
        AtomicLong started = new AtomicLong();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + duration.toNanos();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        long t = System.nanoTime();
                        start(http, uri, "solo");
                        latencies.add(System.nanoTime() - t);
                        started.incrementAndGet();
                    }
                    return null;
                });
            }
        }
        if (report) {
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            Figures.print(
                    "runs started/s through POST /api/runs, " + clients + " clients, " + label,
                    started.get() / (duration.toNanos() / 1e9),
                    "runs/s",
                    "p50 " + String.format("%.1f", sorted.get(sorted.size() / 2) / 1e6) + " ms, p99 "
                            + String.format("%.1f", sorted.get((int) (sorted.size() * 0.99)) / 1e6) + " ms");
        }
    }

    private static String start(HttpClient http, URI uri, String spec) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri.resolve("/api/runs"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"spec\": \"" + spec + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException(
                    "POST /api/runs answered " + response.statusCode() + ": " + response.body());
        }
        Matcher id = RUN_ID.matcher(response.body());
        if (!id.find()) {
            throw new IllegalStateException("no run id in " + response.body());
        }
        return id.group(1);
    }

    /** Streams a run to its end; returns how many journal events came. */
    private static long stream(HttpClient http, URI uri, String id) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(
                HttpRequest.newBuilder(uri.resolve("/api/runs/" + id + "/stream?tokens=false"))
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long events = 0;
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8), 1 << 16)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.equals("event: journal")) {
                    events++;
                }
            }
        }
        return events;
    }

    /** An OpenAI-compatible server that answers every chat completion at once with a short text. */
    private static HttpServer loopbackLlm() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            byte[] plain = ("{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"sim\",\"choices\":"
                            + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Done.\"},"
                            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,"
                            + "\"total_tokens\":12}}")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] streamed =
                    ("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"sim\","
                                    + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Done.\"},"
                                    + "\"finish_reason\":null}]}\n\ndata: {\"id\":\"c\",\"object\":\"chat.completion.chunk\","
                                    + "\"created\":1,\"model\":\"sim\",\"choices\":[{\"index\":0,\"delta\":{},"
                                    + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,"
                                    + "\"total_tokens\":12}}\n\ndata: [DONE]\n\n")
                            .getBytes(StandardCharsets.UTF_8);
            server.createContext("/v1/chat/completions", exchange -> {
                boolean stream = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                        .contains("\"stream\":true");
                byte[] body = stream ? streamed : plain;
                exchange.getResponseHeaders().add("Content-Type", stream ? "text/event-stream" : "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
