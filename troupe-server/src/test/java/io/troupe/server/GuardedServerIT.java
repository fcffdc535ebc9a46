package io.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.api.run.Transcript;
import io.troupe.guard.Guard;
import io.troupe.guard.audit.AuditCheck;
import io.troupe.guard.audit.JsonlAuditStore;
import io.troupe.runtime.Journal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs started through the HTTP API are guarded by their spec's {@code guardrails:} section, as {@code troupe run}
 * guards them: redaction, approvals and the audit log; and no raw personal data leaves through the event stream.
 */
class GuardedServerIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String EMAIL = "jane.doe@example.com";
    private static final String CARD = "4111 1111 1111 1111";
    private static LoopbackLlm llm;

    @BeforeAll
    static void startModel() throws Exception {
        llm = new LoopbackLlm();
        llm.secret("Call " + EMAIL + " and pay with card " + CARD + " today.");
    }

    @AfterAll
    static void stopModel() {
        llm.close();
    }

    private static TroupeServer start(Path dir) throws IOException {
        Path specs = Files.createDirectories(dir.resolve("specs"));
        String model = "models:\n  loop: { provider: openai, model: loop, base-url: \"" + llm.baseUrl() + "\" }\n";
        Files.writeString(specs.resolve("private.yaml"), """
                troupe: 1
                name: private
                %sagents:
                  - { id: teller, model: loop, instructions: "teller HOLD private SECRET tells." }
                task: "Who do I call?"
                guardrails:
                  pii: { action: redact, where: [answers] }
                """.formatted(model));
        Files.writeString(specs.resolve("open.yaml"), """
                troupe: 1
                name: open
                %sagents:
                  - { id: teller, model: loop, instructions: "teller HOLD open SECRET tells." }
                task: "Who do I call?"
                guardrails: off
                """.formatted(model));
        Files.writeString(specs.resolve("approve.yaml"), """
                troupe: 1
                name: approve
                %sagents:
                  - id: clerk
                    model: loop
                    instructions: 'clerk CALL calculator({"expression":"2+2"}) then reports.'
                    tools: [calculator]
                task: "Add it up"
                guardrails:
                  approvals: { tools: [calculator] }
                  injection: off
                  max-tool-result: 0
                """.formatted(model));
        return TroupeServer.builder()
                .port(0)
                .journal(Journal.h2(dir.resolve("journal")))
                .specFolder(specs)
                .runtime(runtime -> runtime.config("pekko.loglevel = WARNING"))
                .start();
    }

    private static String startRun(Api api, String spec) {
        Api.Answer started = api.post("/api/runs", "{\"spec\": \"" + spec + "\"}");
        assertThat(started.status()).as(started.response().body()).isEqualTo(201);
        return started.json().path("id").asText();
    }

    /** Streams run {@code id} from its start while its model call is held under {@code hold}, then releases it. */
    private static List<Api.Frame> streamWhileHeld(Api api, String id, String hold) {
        AtomicBoolean requested = new AtomicBoolean();
        CompletableFuture<List<Api.Frame>> stream =
                CompletableFuture.supplyAsync(() -> api.stream("/api/runs/" + id + "/stream", null, frame -> {
                    if (frame.event().equals("journal")
                            && frame.json().path("type").asText().equals("LlmRequested")) {
                        requested.set(true);
                    }
                    return frame.event().equals("end");
                }));
        await().atMost(WAIT).untilTrue(requested); // the stream is live before the model answers
        llm.release(hold);
        return stream.join();
    }

    private static String body(List<Api.Frame> frames) {
        StringBuilder all = new StringBuilder();
        frames.forEach(frame ->
                all.append(frame.event()).append(' ').append(frame.data()).append('\n'));
        return all.toString();
    }

    @Test
    void aSpecThatRedactsAnswers_streamsNoRawValue_andJournalsThePlaceholders(@TempDir Path dir) throws Exception {
        try (TroupeServer server = start(dir)) {
            Api api = new Api(server.uri(), null);

            // Without guardrails the tokens carry what the model says, so the stream would show a raw value.
            List<Api.Frame> open = streamWhileHeld(api, startRun(api, "open"), "open");
            assertThat(open).anyMatch(frame -> frame.event().equals("token"));
            assertThat(body(open)).contains(EMAIL);

            String id = startRun(api, "private");
            List<Api.Frame> frames = streamWhileHeld(api, id, "private");
            String sse = body(frames);
            assertThat(frames).noneMatch(frame -> frame.event().equals("token"));
            assertThat(sse).doesNotContain(EMAIL).doesNotContain(CARD).doesNotContain("4111111111111111");
            assertThat(frames.getLast().json().path("outcome").path("result").asText())
                    .isEqualTo("Call <EMAIL_1> and pay with card <CREDIT_CARD_1> today.");

            String events = api.get("/api/runs/" + id + "/events").response().body();
            assertThat(events).doesNotContain(EMAIL).doesNotContain(CARD).contains("<EMAIL_1>");
            assertThat(events).contains("\"pii\"");
        }
    }

    @Test
    void aSpecsApprovals_holdItsToolCall_andItsAuditLogVerifies(@TempDir Path dir) throws Exception {
        try (TroupeServer server = start(dir)) {
            Api api = new Api(server.uri(), null);
            String id = startRun(api, "approve");
            JsonNode held = await().atMost(WAIT)
                    .until(() -> api.get("/api/approvals?run=" + id).json().path("approvals"), a -> a.size() == 1)
                    .get(0);
            assertThat(held.path("subject").path("tool").asText()).isEqualTo("calculator");
            assertThat(api.post("/api/approvals/" + held.path("id").asText() + "/approve", "{\"by\": \"ops\"}")
                            .status())
                    .isEqualTo(200);
            await().atMost(WAIT)
                    .until(
                            () -> api.get("/api/runs/" + id)
                                    .json()
                                    .path("status")
                                    .asText(),
                            "COMPLETED"::equals);
            assertThat(api.get("/api/runs/" + id)
                            .json()
                            .path("outcome")
                            .path("result")
                            .asText())
                    .isEqualTo("tool said: {\"expression\":\"2+2\",\"result\":\"4\"}");

            Path log = dir.resolve("journal").resolve("audit").resolve(id + ".audit.jsonl");
            await().atMost(WAIT)
                    .until(() -> Files.exists(log) && Files.readString(log).contains("run-finished"));
            Transcript transcript =
                    server.node().replay(id).toCompletableFuture().join();
            AuditCheck.Report report = AuditCheck.verify(
                    id,
                    transcript.events(),
                    JsonlAuditStore.forRun(log.getParent(), id),
                    null,
                    "audit",
                    Guard.scrubber());
            assertThat(report.problems()).isEmpty();
            assertThat(report.ok()).isTrue();
            assertThat(Files.readString(log)).contains("\"approval\"").contains("\"approved\"");
        }
    }
}
