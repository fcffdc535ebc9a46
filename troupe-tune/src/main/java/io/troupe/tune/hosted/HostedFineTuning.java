package io.troupe.tune.hosted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A client for the OpenAI-compatible fine-tuning API ({@code /v1/files} and {@code /v1/fine_tuning/jobs}): OpenAI,
 * Azure OpenAI's v1 endpoint, and compatible servers.
 *
 * <pre>{@code
 * HostedFineTuning api = HostedFineTuning.builder().apiKey(System.getenv("OPENAI_API_KEY")).build();
 * String file = api.upload(Path.of("train.jsonl"));
 * FineTuneJob job = api.create(new JobRequest("gpt-4o-mini-2024-07-18", file, null, "troupe", 3, null));
 * FineTuneJob done = api.await(job.id(), progress -> System.out.println(progress.describe()), () -> false);
 * }</pre>
 *
 * <p>Reads are retried on 429, 5xx and network failures with exponential backoff (honouring {@code Retry-After});
 * requests that create something are retried only on 429, which the API answers before doing anything, so a job is
 * never created twice. The API key is never logged or put in a message. Thread-safe.
 */
public final class HostedFineTuning {
    /** OpenAI's endpoint. */
    public static final URI OPENAI = URI.create("https://api.openai.com/v1/");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUrl;
    private final @Nullable String apiKey;
    private final HttpClient http;
    private final Duration pollInterval;
    private final int attempts;
    private final Duration backoff;

    private HostedFineTuning(Builder builder) {
        String url = builder.baseUrl.toString();
        this.baseUrl = URI.create(url.endsWith("/") ? url : url + "/");
        this.apiKey = builder.apiKey;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.pollInterval = builder.pollInterval;
        this.attempts = builder.attempts;
        this.backoff = builder.backoff;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Uploads a JSONL dataset with purpose {@code fine-tune}.
     *
     * @return the file's id
     */
    public String upload(Path jsonl) {
        byte[] content;
        try {
            content = Files.readAllBytes(jsonl);
        } catch (IOException e) {
            throw new HostedFineTuneException("Cannot read dataset " + jsonl + ": " + e.getMessage(), 0, false, e);
        }
        String boundary = "troupe-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String fileName = jsonl.getFileName().toString().replace("\"", "");
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n");
        write(
                body,
                "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                        + "\"\r\nContent-Type: application/jsonl\r\n\r\n");
        body.writeBytes(content);
        write(body, "\r\n--" + boundary + "--\r\n");
        HttpRequest request = request("files")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        JsonNode file = send(request, false, "upload " + jsonl);
        return text(file, "id").orElseThrow(() -> malformed("upload " + jsonl, file));
    }

    /** Creates a fine-tuning job. */
    public FineTuneJob create(JobRequest job) {
        ObjectNode body = JSON.createObjectNode().put("model", job.model()).put("training_file", job.trainingFile());
        if (job.validationFile() != null) {
            body.put("validation_file", job.validationFile());
        }
        if (job.suffix() != null) {
            body.put("suffix", job.suffix());
        }
        if (job.seed() != null) {
            body.put("seed", job.seed());
        }
        if (job.epochs() != null) {
            body.putObject("hyperparameters").put("n_epochs", job.epochs());
        }
        HttpRequest request = request("fine_tuning/jobs")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        return job(send(request, false, "create a fine-tuning job of " + job.model()));
    }

    /** The job as it stands now. */
    public FineTuneJob get(String jobId) {
        return job(send(request("fine_tuning/jobs/" + path(jobId)).GET().build(), true, "read job " + jobId));
    }

    /** The job's events, newest first, at most {@code limit}. */
    public List<JobEvent> events(String jobId, int limit) {
        JsonNode list = send(
                request("fine_tuning/jobs/" + path(jobId) + "/events?limit=" + limit)
                        .GET()
                        .build(),
                true,
                "read the events of job " + jobId);
        List<JobEvent> events = new ArrayList<>();
        for (JsonNode event : list.path("data")) {
            JsonNode data = event.path("data");
            events.add(new JobEvent(
                    event.path("id").asText(""),
                    event.path("level").asText("info"),
                    event.path("message").asText(""),
                    data.hasNonNull("step") ? data.get("step").asInt() : null,
                    data.hasNonNull("total_steps") ? data.get("total_steps").asInt() : null,
                    data.hasNonNull("train_loss") ? data.get("train_loss").asDouble() : null));
        }
        return events;
    }

    /** Asks the provider to cancel the job; returns the job as the provider reports it after the request. */
    public FineTuneJob cancel(String jobId) {
        HttpRequest request = request("fine_tuning/jobs/" + path(jobId) + "/cancel")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return job(send(request, true, "cancel job " + jobId));
    }

    /**
     * Polls the job until it ends, reporting each poll to {@code progress}. When {@code cancel} turns true, asks the
     * provider to cancel it and keeps polling until the provider confirms.
     *
     * @return the job in its final state: succeeded (with {@link FineTuneJob#fineTunedModel()}), failed (with {@link
     *     FineTuneJob#error()}) or cancelled
     */
    public FineTuneJob await(String jobId, Consumer<HostedProgress> progress, BooleanSupplier cancel) {
        boolean cancelRequested = false;
        while (true) {
            if (!cancelRequested && cancel.getAsBoolean()) {
                cancel(jobId);
                cancelRequested = true;
            }
            FineTuneJob job = get(jobId);
            List<JobEvent> latest = events(jobId, 1);
            progress.accept(new HostedProgress(job, latest.isEmpty() ? null : latest.getFirst()));
            if (job.status().terminal()) {
                return job;
            }
            pause(pollInterval);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(Duration.ofSeconds(120));
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        return builder;
    }

    private JsonNode send(HttpRequest request, boolean idempotent, String what) {
        HostedFineTuneException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Duration wait = backoff.multipliedBy(1L << (attempt - 1));
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return JSON.readTree(response.body());
                }
                boolean retriable = status == 429 || (idempotent && status / 100 == 5);
                last = new HostedFineTuneException(
                        "The fine-tuning API refused to " + what + ": HTTP " + status + " " + apiError(response.body())
                                + advice(status),
                        status,
                        status == 429 || status / 100 == 5,
                        null);
                if (!retriable) {
                    throw last;
                }
                Optional<String> after = response.headers().firstValue("Retry-After");
                if (after.isPresent() && after.get().matches("\\d{1,4}")) {
                    wait = Duration.ofSeconds(Long.parseLong(after.get()));
                }
            } catch (IOException e) {
                last = new HostedFineTuneException(
                        "Cannot reach the fine-tuning API at " + baseUrl + " to " + what + ": " + e, 0, true, e);
                if (!idempotent) {
                    throw last;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HostedFineTuneException("Interrupted while trying to " + what, 0, true, e);
            }
            if (attempt < attempts) {
                pause(wait);
            }
        }
        throw Objects.requireNonNull(last);
    }

    private static String apiError(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            String message = error.path("message").asText("");
            if (!message.isBlank()) {
                return "(" + message + ")";
            }
        } catch (IOException e) {
            // not JSON: fall through to the raw text
        }
        String text = body.strip();
        return text.isEmpty() ? "" : "(" + (text.length() > 300 ? text.substring(0, 300) + "…" : text) + ")";
    }

    private static String advice(int status) {
        return switch (status) {
            case 401, 403 -> ". Check the API key (the variable named by --api-key-env) and its permissions.";
            case 404 -> ". Check the base URL, the job id and the model name.";
            case 400, 422 -> ". Fix the request or the dataset as the message says.";
            case 429 -> ". The rate limit or quota was reached; try again later.";
            default -> status / 100 == 5 ? ". The provider had an error; try again later." : ".";
        };
    }

    private static FineTuneJob job(JsonNode job) {
        JsonNode error = job.path("error");
        String message = error.isObject() ? error.path("message").asText(null) : null;
        return new FineTuneJob(
                job.path("id").asText(),
                job.path("model").asText(""),
                JobStatus.of(job.path("status").asText("")),
                job.hasNonNull("fine_tuned_model") ? job.get("fine_tuned_model").asText() : null,
                job.hasNonNull("trained_tokens") ? job.get("trained_tokens").asLong() : null,
                message);
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.hasNonNull(field) ? Optional.of(node.get(field).asText()) : Optional.empty();
    }

    private static HostedFineTuneException malformed(String what, JsonNode body) {
        String text = body.toString();
        return new HostedFineTuneException(
                "The fine-tuning API answered the request to " + what + " with something unexpected: "
                        + (text.length() > 200 ? text.substring(0, 200) + "…" : text),
                200,
                false,
                null);
    }

    private static String path(String id) {
        if (!id.matches("[A-Za-z0-9_:.-]+")) {
            throw new IllegalArgumentException("'" + id + "' is not a job id");
        }
        return id;
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostedFineTuneException("Interrupted while waiting for the fine-tuning API", 0, true, e);
        }
    }

    @Override
    public String toString() {
        return "HostedFineTuning[" + baseUrl + (apiKey == null ? "" : ", apiKey=***") + "]";
    }

    /** Configures a {@link HostedFineTuning}. Not thread-safe. */
    public static final class Builder {
        private URI baseUrl = OPENAI;
        private @Nullable String apiKey;
        private Duration pollInterval = Duration.ofSeconds(15);
        private int attempts = 4;
        private Duration backoff = Duration.ofSeconds(1);

        private Builder() {}

        /** The API's base URL, ending in {@code /v1/}; OpenAI's by default. */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /** The API key, sent as a bearer token; none by default. */
        public Builder apiKey(@Nullable String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** How long {@link #await} waits between polls; 15 s by default. */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
            return this;
        }

        /** Attempts per request, and the first backoff (doubled after each retry); 4 and 1 s by default. */
        public Builder retries(int attempts, Duration backoff) {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
            }
            this.attempts = attempts;
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        public HostedFineTuning build() {
            return new HostedFineTuning(this);
        }
    }
}
