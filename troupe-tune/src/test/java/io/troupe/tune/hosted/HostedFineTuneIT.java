package io.troupe.tune.hosted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole hosted fine-tuning lifecycle against a loopback server that speaks the OpenAI API, with its faults. */
class HostedFineTuneIT {
    private static final String DATASET = """
            {"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}]}
            {"messages":[{"role":"user","content":"Bye"},{"role":"assistant","content":"Goodbye!"}]}
            {"messages":[{"role":"user","content":"Thanks"},{"role":"assistant","content":"You are welcome."}]}
            """;

    @TempDir
    Path dir;

    private FineTuneServer server;
    private HostedFineTuning api;
    private Path dataset;

    @BeforeEach
    void setUp() throws Exception {
        server = new FineTuneServer();
        api = client(FineTuneServer.KEY);
        dataset = Files.writeString(dir.resolve("train.jsonl"), DATASET);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private HostedFineTuning client(String key) {
        return HostedFineTuning.builder()
                .baseUrl(server.baseUrl())
                .apiKey(key)
                .pollInterval(Duration.ofMillis(1))
                .retries(3, Duration.ofMillis(1))
                .build();
    }

    @Test
    void lifecycle_uploadCreatePollWithProgress_endsWithTheFineTunedModel() {
        String file = api.upload(dataset);
        FineTuneJob created = api.create(new JobRequest("gpt-4o-mini-2024-07-18", file, null, "writer", 2, 7));
        List<HostedProgress> progress = new ArrayList<>();

        FineTuneJob done = api.await(created.id(), progress::add, () -> false);

        assertThat(server.file(file)).isEqualTo(DATASET);
        assertThat(server.jobRequest(created.id()).toString())
                .contains(
                        "\"training_file\":\"" + file + "\"", "\"suffix\":\"writer\"", "\"n_epochs\":2", "\"seed\":7");
        assertThat(created.status()).isEqualTo(JobStatus.VALIDATING_FILES);
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.fineTunedModel()).isEqualTo("ft:gpt-4o-mini-2024-07-18:troupe:writer:" + created.id());
        assertThat(done.trainedTokens()).isEqualTo(600L);
        assertThat(progress.stream().map(p -> p.job().status()).distinct())
                .containsExactly(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.SUCCEEDED);
        assertThat(progress.stream().map(HostedProgress::describe))
                .contains(
                        created.id() + " running  step 2/6  loss 0.6667",
                        created.id() + " running  step 4/6  loss 0.4000");
    }

    @Test
    void transientErrors_areRetried_butACreateIsNeverSentTwice() {
        String file = api.upload(dataset);
        server.failNext(1, 503);
        JobRequest request = new JobRequest("gpt-4o-mini-2024-07-18", file, null, null, 1, null);

        assertThatThrownBy(() -> api.create(request))
                .isInstanceOfSatisfying(HostedFineTuneException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.retriable()).isTrue();
                })
                .hasMessageContaining("refused to create a fine-tuning job of gpt-4o-mini-2024-07-18: HTTP 503");
        assertThat(server.requests()).containsOnlyOnce("POST /v1/fine_tuning/jobs");

        server.failNext(1, 429); // a rate limit is answered before anything is created: safe to retry
        FineTuneJob job = api.create(request);

        assertThat(job.status()).isEqualTo(JobStatus.VALIDATING_FILES);
        assertThat(server.requests().stream().filter("POST /v1/fine_tuning/jobs"::equals))
                .hasSize(3);
    }

    @Test
    void clientErrors_failAtOnce_withTheProvidersMessage_andNeverShowTheKey() {
        HostedFineTuning wrongKey = client("sk-secret-value");

        assertThatThrownBy(() -> wrongKey.upload(dataset))
                .isInstanceOfSatisfying(HostedFineTuneException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.retriable()).isFalse();
                })
                .hasMessageContaining("HTTP 401 (Incorrect API key provided.)")
                .hasMessageContaining("Check the API key")
                .hasMessageNotContaining("sk-secret-value");
        assertThat(wrongKey.toString()).doesNotContain("sk-secret-value");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void invalidDataset_isRefusedAtUpload_withTheLineTheProviderNamed() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.jsonl"), DATASET + "{\"prompt\":\"old format\"}\n");

        assertThatThrownBy(() -> api.upload(broken))
                .isInstanceOf(HostedFineTuneException.class)
                .hasMessageContaining("refused to upload " + broken)
                .hasMessageContaining("Line 4, key \"messages\": missing");
    }

    @Test
    void failedJob_endsFailed_withTheProvidersReason() {
        String file = api.upload(dataset);
        FineTuneJob job = api.create(new JobRequest(FineTuneServer.FAILING_MODEL, file, null, null, null, null));

        FineTuneJob done = api.await(job.id(), progress -> {}, () -> false);

        assertThat(done.status()).isEqualTo(JobStatus.FAILED);
        assertThat(done.fineTunedModel()).isNull();
        assertThat(done.error()).isEqualTo("The training file has too few examples to learn from.");
    }

    @Test
    void cancel_whileRunning_endsCancelled_afterTheProviderConfirms() {
        String file = api.upload(dataset);
        FineTuneJob job = api.create(new JobRequest("gpt-4o-mini-2024-07-18", file, null, null, 3, null));
        AtomicBoolean cancel = new AtomicBoolean();
        List<JobStatus> seen = new ArrayList<>();

        FineTuneJob done = api.await(
                job.id(),
                progress -> {
                    seen.add(progress.job().status());
                    if (progress.job().status() == JobStatus.RUNNING) {
                        cancel.set(true);
                    }
                },
                cancel::get);

        assertThat(done.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(seen).containsExactly(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.CANCELLED);
        assertThat(server.requests()).containsOnlyOnce("POST /v1/fine_tuning/jobs/" + job.id() + "/cancel");
        assertThatThrownBy(() -> api.cancel(job.id()))
                .isInstanceOf(HostedFineTuneException.class)
                .hasMessageContaining("has already ended: cancelled");
    }

    @Test
    void readsRetryOn429AndServerErrors_withRetryAfter() {
        String file = api.upload(dataset);
        FineTuneJob job = api.create(new JobRequest("gpt-4o-mini-2024-07-18", file, null, null, 1, null));
        server.failNext(2, 429);

        FineTuneJob read = api.get(job.id());

        assertThat(read.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(server.requests().stream().filter(r -> r.equals("GET /v1/fine_tuning/jobs/" + job.id())))
                .hasSize(3);
        server.failNext(5, 500);
        assertThatThrownBy(() -> api.get(job.id()))
                .isInstanceOfSatisfying(
                        HostedFineTuneException.class,
                        e -> assertThat(e.retriable()).isTrue())
                .hasMessageContaining("HTTP 500 (Simulated failure 500)")
                .hasMessageContaining("try again later");
    }
}
