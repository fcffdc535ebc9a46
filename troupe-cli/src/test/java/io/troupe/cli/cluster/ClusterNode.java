package io.troupe.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.cli.Cli;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One {@code troupe node} process of a test cluster, started from the packaged CLI (its jar and {@code target/lib}),
 * with its standard error in a log file. It can be stopped with SIGTERM (a graceful leave) or SIGKILL (a crash), and
 * started again on the same ports.
 */
final class ClusterNode implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final String name;
    private final int httpPort;
    private final List<String> jvmOptions;
    private final List<String> arguments;
    private final Map<String, String> environment;
    private final Path logs;
    private @Nullable Process process;
    private int starts;

    ClusterNode(
            String name,
            int httpPort,
            List<String> jvmOptions,
            List<String> arguments,
            Map<String, String> environment,
            Path logs) {
        this.name = name;
        this.httpPort = httpPort;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.arguments = List.copyOf(arguments);
        this.environment = Map.copyOf(environment);
        this.logs = logs;
    }

    String name() {
        return name;
    }

    /** The node's HTTP API. */
    URI api() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    /** Starts the process (again, after it stopped). */
    synchronized ClusterNode start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running already");
        }
        // Small heaps and one GC thread: four JVMs share two busy cores in CI.
        List<String> options = new ArrayList<>(List.of(
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dtroupe.cluster.log=INFO",
                "-Dtroupe.log.time=%d{HH:mm:ss.SSS} "));
        options.addAll(jvmOptions);
        List<String> args = new ArrayList<>(List.of("node"));
        args.addAll(starts == 0 ? arguments : rejoining(arguments));
        List<String> command = Cli.command(options, args.toArray(String[]::new));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        starts++;
        Path log = logs.resolve(name + "-" + starts + ".log");
        Files.writeString(logs.resolve(name + "-" + starts + ".cmd"), String.join(" ", command) + "\n");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        process = builder.start();
        return this;
    }

    /**
     * The arguments of a node started again: its own address goes last among the seeds, as the README says, so that a
     * node that founded the cluster joins the running one instead of forming a second when the others are slow to
     * answer.
     */
    static List<String> rejoining(List<String> arguments) {
        List<String> again = new ArrayList<>(arguments);
        int seed = again.indexOf("--seed");
        String self =
                again.get(again.indexOf("--cluster-host") + 1) + ":" + again.get(again.indexOf("--cluster-port") + 1);
        List<String> seeds = new ArrayList<>(Arrays.asList(again.get(seed + 1).split(",")));
        if (seeds.remove(self)) {
            seeds.add(self);
        }
        again.set(seed + 1, String.join(",", seeds));
        return again;
    }

    /** Whether the process runs. */
    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** Sends SIGTERM: the node leaves the cluster, handing its conversations over, and exits. */
    synchronized void terminate() {
        if (process != null) {
            process.destroy();
        }
    }

    /** Sends SIGKILL: the node is gone at once, as in a crash. */
    synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Waits for the process to end; its exit code. */
    int awaitExit(Duration limit) throws InterruptedException {
        Process running;
        synchronized (this) {
            running = process;
        }
        if (running == null) {
            return -1;
        }
        if (!running.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not exit within " + limit.toSeconds() + " s; its log:\n" + log());
        }
        return running.exitValue();
    }

    /** Everything the node has logged, over all its starts. */
    String log() {
        StringBuilder all = new StringBuilder();
        for (int i = 1; i <= starts; i++) {
            Path log = logs.resolve(name + "-" + i + ".log");
            try {
                all.append("=== ").append(name).append(" start ").append(i).append('\n');
                all.append(Files.readString(log, StandardCharsets.UTF_8));
            } catch (IOException e) {
                all.append("(no log: ").append(e.getMessage()).append(")\n");
            }
        }
        return all.toString();
    }

    /** The last lines of the log, for assertion messages. */
    String tail() {
        String log = log();
        return log.length() <= 6000 ? log : log.substring(log.length() - 6000);
    }

    /** Whether {@code /health/ready} answers 200. */
    boolean ready() {
        return readiness().startsWith("200");
    }

    /** {@code /health/ready}'s status and body, or why it did not answer. */
    String readiness() {
        try {
            HttpResponse<String> response =
                    send(HttpRequest.newBuilder(api().resolve("/health/ready")).GET());
            return response.statusCode() + " " + response.body();
        } catch (IOException e) {
            return "no answer: " + e.getMessage();
        }
    }

    /** GETs {@code path}, expecting 200. */
    JsonNode get(String path) throws IOException {
        return json(send(HttpRequest.newBuilder(api().resolve(path)).GET()), 200);
    }

    /** POSTs {@code body} to {@code path}, expecting {@code status}. */
    JsonNode post(String path, String body, int status) throws IOException {
        return json(
                send(HttpRequest.newBuilder(api().resolve(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))),
                status);
    }

    /** Opens the server-sent event stream at {@code path}, from after {@code lastEventId} (if any). */
    HttpResponse<java.util.stream.Stream<String>> stream(String path, @Nullable String lastEventId)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(api().resolve(path)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            // Generous: four JVMs and a database share two cores that other builds use too.
            return HTTP.send(request.timeout(Duration.ofMinutes(3)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private JsonNode json(HttpResponse<String> response, int status) throws IOException {
        if (response.statusCode() != status) {
            throw new IOException(name + " answered " + response.statusCode() + " to "
                    + response.request().method() + " " + response.uri() + ": " + response.body());
        }
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
