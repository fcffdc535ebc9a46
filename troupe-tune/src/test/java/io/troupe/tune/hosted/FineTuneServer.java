package io.troupe.tune.hosted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server that speaks the OpenAI fine-tuning API: {@code POST /v1/files} (multipart), {@code POST
 * /v1/fine_tuning/jobs}, {@code GET /v1/fine_tuning/jobs/{id}}, {@code GET …/events} and {@code POST …/cancel}.
 *
 * <p>Each read of a job moves it one state on: validating_files, queued, then running for three polls (a metrics event
 * each), then succeeded. A job of model {@value #FAILING_MODEL} fails while running. {@link #failNext} answers the next
 * requests with an error status, to exercise retries. Every request is recorded.
 */
final class FineTuneServer implements AutoCloseable {
    static final String KEY = "test-key";
    static final String FAILING_MODEL = "fail-during-training";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, String> files = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Job> jobs = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failures = new AtomicInteger();
    private volatile int failureStatus;
    private final AtomicInteger ids = new AtomicInteger();

    private static final class Job {
        final String id;
        final String model;
        final String suffix;
        final int totalSteps;
        String status = "validating_files";
        int step;
        boolean cancelRequested;
        final List<ObjectNode> events = new ArrayList<>();
        final JsonNode request;

        Job(String id, String model, String suffix, int totalSteps, JsonNode request) {
            this.id = id;
            this.model = model;
            this.suffix = suffix;
            this.totalSteps = totalSteps;
            this.request = request;
        }
    }

    FineTuneServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/", this::handle);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/");
    }

    /** The next {@code count} requests get {@code status} (429 comes with {@code Retry-After: 0}). */
    void failNext(int count, int status) {
        failureStatus = status;
        failures.set(count);
    }

    /** "METHOD path" of every request, in order. */
    List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The content of an uploaded file. */
    String file(String id) {
        return files.get(id);
    }

    /** The JSON body a job was created with. */
    JsonNode jobRequest(String id) {
        return jobs.get(id).request;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        requests.add(method + " " + path);
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            error(exchange, 401, "Incorrect API key provided.");
            return;
        }
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            if (failureStatus == 429) {
                exchange.getResponseHeaders().add("Retry-After", "0");
            }
            error(exchange, failureStatus, "Simulated failure " + failureStatus);
            return;
        }
        try {
            if (method.equals("POST") && path.equals("/v1/files")) {
                upload(exchange, new String(body, StandardCharsets.UTF_8));
            } else if (method.equals("POST") && path.equals("/v1/fine_tuning/jobs")) {
                create(exchange, JSON.readTree(body));
            } else if (path.startsWith("/v1/fine_tuning/jobs/")) {
                String[] parts =
                        path.substring("/v1/fine_tuning/jobs/".length()).split("/");
                Job job = jobs.get(parts[0]);
                if (job == null) {
                    error(exchange, 404, "No such fine-tuning job: " + parts[0]);
                } else if (parts.length == 1 && method.equals("GET")) {
                    synchronized (job) {
                        advance(job);
                        reply(exchange, 200, describe(job));
                    }
                } else if (parts.length == 2 && parts[1].equals("events")) {
                    synchronized (job) {
                        ArrayNode data = JSON.createArrayNode();
                        for (int i = job.events.size() - 1; i >= 0; i--) {
                            data.add(job.events.get(i));
                        }
                        String limit = exchange.getRequestURI().getQuery();
                        int max =
                                limit != null && limit.startsWith("limit=") ? Integer.parseInt(limit.substring(6)) : 20;
                        while (data.size() > max) {
                            data.remove(data.size() - 1);
                        }
                        ObjectNode list =
                                JSON.createObjectNode().put("object", "list").put("has_more", false);
                        list.set("data", data);
                        reply(exchange, 200, list);
                    }
                } else if (parts.length == 2 && parts[1].equals("cancel") && method.equals("POST")) {
                    synchronized (job) {
                        if (terminal(job.status)) {
                            error(exchange, 400, "Job " + job.id + " has already ended: " + job.status);
                        } else {
                            job.cancelRequested = true;
                            reply(exchange, 200, describe(job));
                        }
                    }
                } else {
                    error(exchange, 404, "Unknown path " + path);
                }
            } else {
                error(exchange, 404, "Unknown path " + path);
            }
        } catch (RuntimeException e) {
            error(exchange, 500, "Server bug: " + e);
        }
    }

    private void upload(HttpExchange exchange, String body) throws IOException {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.startsWith("multipart/form-data; boundary=")) {
            error(exchange, 400, "Expected multipart/form-data");
            return;
        }
        String boundary = "--" + type.substring("multipart/form-data; boundary=".length());
        String content = null;
        boolean fineTune = false;
        for (String part : body.split(java.util.regex.Pattern.quote(boundary))) {
            int split = part.indexOf("\r\n\r\n");
            if (split < 0) {
                continue;
            }
            String headers = part.substring(0, split);
            String value = part.substring(split + 4, part.length() - 2);
            if (headers.contains("name=\"purpose\"")) {
                fineTune = value.equals("fine-tune");
            } else if (headers.contains("name=\"file\"")) {
                content = value;
            }
        }
        if (!fineTune || content == null) {
            error(exchange, 400, "A file with purpose 'fine-tune' is required");
            return;
        }
        int line = 0;
        for (String text : content.split("\n")) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            JsonNode example;
            try {
                example = JSON.readTree(text);
            } catch (IOException e) {
                error(exchange, 400, "Invalid file format. Line " + line + " is not valid JSON.");
                return;
            }
            if (!example.path("messages").isArray()) {
                error(exchange, 400, "Invalid file format. Line " + line + ", key \"messages\": missing.");
                return;
            }
        }
        String id = "file-" + ids.incrementAndGet();
        files.put(id, content);
        reply(
                exchange,
                200,
                JSON.createObjectNode()
                        .put("id", id)
                        .put("object", "file")
                        .put("bytes", content.length())
                        .put("purpose", "fine-tune"));
    }

    private void create(HttpExchange exchange, JsonNode request) throws IOException {
        String file = request.path("training_file").asText();
        if (!files.containsKey(file)) {
            error(exchange, 400, "invalid training_file: " + file);
            return;
        }
        String model = request.path("model").asText();
        if (!model.startsWith("gpt-") && !model.equals(FAILING_MODEL)) {
            error(exchange, 400, "Model " + model + " is not available for fine-tuning");
            return;
        }
        int epochs = request.path("hyperparameters").path("n_epochs").asInt(3);
        long lines = files.get(file).lines().filter(l -> !l.isBlank()).count();
        Job job = new Job(
                "ftjob-" + ids.incrementAndGet(),
                model,
                request.path("suffix").asText("ft"),
                (int) (lines * epochs),
                request);
        jobs.put(job.id, job);
        event(job, "Created fine-tuning job: " + job.id, null);
        reply(exchange, 200, describe(job));
    }

    /** One state on per read, so a client that polls sees the whole lifecycle without the server waiting. */
    private void advance(Job job) {
        if (job.cancelRequested && !terminal(job.status)) {
            job.status = "cancelled";
            event(job, "Fine-tuning job cancelled", null);
            return;
        }
        switch (job.status) {
            case "validating_files" -> {
                job.status = "queued";
                event(job, "Validating training file: done", null);
            }
            case "queued" -> {
                job.status = "running";
                event(job, "Fine-tuning job started", null);
            }
            case "running" -> {
                if (job.model.equals(FAILING_MODEL) && job.step > 0) {
                    job.status = "failed";
                    event(job, "Training failed", null);
                    return;
                }
                job.step = Math.min(job.totalSteps, job.step + Math.max(1, job.totalSteps / 3));
                event(job, "Step " + job.step + "/" + job.totalSteps, job.step);
                if (job.step >= job.totalSteps) {
                    job.status = "succeeded";
                    event(job, "The job has successfully completed", null);
                }
            }
            default -> {}
        }
    }

    private void event(Job job, String message, Integer step) {
        ObjectNode event = JSON.createObjectNode()
                .put("object", "fine_tuning.job.event")
                .put("id", "ftevent-" + ids.incrementAndGet())
                .put("level", "info")
                .put("message", message)
                .put("type", step == null ? "message" : "metrics");
        if (step != null) {
            event.putObject("data")
                    .put("step", step)
                    .put("total_steps", job.totalSteps)
                    .put("train_loss", 2.0 / (1 + step));
        }
        job.events.add(event);
    }

    private static ObjectNode describe(Job job) {
        ObjectNode node = JSON.createObjectNode()
                .put("object", "fine_tuning.job")
                .put("id", job.id)
                .put("model", job.model)
                .put("status", job.status);
        if (job.status.equals("succeeded")) {
            node.put("fine_tuned_model", "ft:" + job.model + ":troupe:" + job.suffix + ":" + job.id);
            node.put("trained_tokens", job.totalSteps * 100L);
        } else {
            node.putNull("fine_tuned_model");
        }
        if (job.status.equals("failed")) {
            node.putObject("error")
                    .put("code", "invalid_training_file")
                    .put("message", "The training file has too few examples to learn from.");
        } else {
            node.putNull("error");
        }
        return node;
    }

    private static boolean terminal(String status) {
        return status.equals("succeeded") || status.equals("failed") || status.equals("cancelled");
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", "invalid_request_error");
        reply(exchange, status, body);
    }

    private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
