package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code troupe resume}: a {@code troupe run} killed with SIGKILL in the middle of a three-agent pipeline is finished
 * by {@code troupe resume} from its last journaled step, with no completed call made again; an unrelated
 * {@code troupe run} on the same journal in between leaves the unfinished run as it is. While the run goes on, {@code
 * troupe runs} and {@code replay} read the journal it holds.
 */
class ResumeIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An OpenAI-compatible server whose editor's first call never answers, as if the model hung. */
    private static final class Desk implements AutoCloseable {
        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final CountDownLatch hung = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        Desk() throws IOException {
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/v1/chat/completions", this::handle);
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        }

        int calls(String agent) {
            return calls.getOrDefault(agent, new AtomicInteger()).get();
        }

        private void handle(HttpExchange exchange) throws IOException {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            String system = body.path("messages").path(0).path("content").asText();
            String agent = system.startsWith("You research")
                    ? "researcher"
                    : system.startsWith("You edit")
                            ? "editor"
                            : system.startsWith("You publish") ? "publisher" : "other";
            int call = calls.computeIfAbsent(agent, a -> new AtomicInteger()).incrementAndGet();
            if (agent.equals("editor") && call == 1) {
                hung.countDown();
                try {
                    release.await(); // the CLI is killed while this call is in flight
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            String text = switch (agent) {
                case "researcher" -> "Facts: foxes are clever.";
                case "editor" -> "Edited: clever foxes.";
                case "publisher" -> "Published: clever foxes.";
                default -> "Something else.";
            };
            boolean stream = body.path("stream").asBoolean(false);
            String payload;
            if (stream) {
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                payload = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                        + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":"
                        + JSON.writeValueAsString(text) + "},\"finish_reason\":null}]}\n\n"
                        + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                        + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15}}\n\n"
                        + "data: [DONE]\n\n";
            } else {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                payload = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":"
                        + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                        + JSON.writeValueAsString(text)
                        + "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,"
                        + "\"total_tokens\":15}}";
            }
            byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }

        @Override
        public void close() {
            release.countDown();
            server.stop(0);
        }
    }

    @Test
    void aKilledRun_isFinishedByResume_withoutRepeatingACompletedCall(@TempDir Path dir) throws Exception {
        try (Desk desk = new Desk()) {
            Path spec = dir.resolve("newsroom.yaml");
            Files.writeString(spec, """
                    troupe: 1
                    name: newsroom
                    models:
                      gpt: { provider: openai, model: gpt-test, base-url: "%s", api-key: "${TEST_KEY}" }
                    agents:
                      - { id: researcher, model: gpt, instructions: "You research." }
                      - { id: editor, model: gpt, instructions: "You edit." }
                      - { id: publisher, model: gpt, instructions: "You publish." }
                    team: { mechanism: sequential, order: [researcher, editor, publisher] }
                    task: An article about foxes
                    """.formatted(desk.baseUrl()));
            Path other = dir.resolve("other.yaml");
            Files.writeString(other, """
                    troupe: 1
                    name: other
                    models:
                      gpt: { provider: openai, model: gpt-test, base-url: "%s", api-key: "${TEST_KEY}" }
                    agents:
                      - { id: solo, model: gpt, instructions: "You do something else." }
                    task: Something else
                    """.formatted(desk.baseUrl()));
            Path journal = dir.resolve("journal");
            Map<String, String> env = Map.of("TEST_KEY", "sk-test");

            Process run = Cli.start(
                    e -> e.putAll(env),
                    dir.resolve("run.err"),
                    "run",
                    spec.toString(),
                    "--journal",
                    journal.toString());
            boolean inFlight = desk.hung.await(60, TimeUnit.SECONDS);
            assertThat(inFlight)
                    .as(
                            "the editor's call is in flight; the run printed:\n%s",
                            Files.readString(dir.resolve("run.err")))
                    .isTrue();

            // While the run goes on, other processes read the journal it holds, from a copy taken then.
            Cli.Result live = Cli.troupe("runs", "--journal", journal.toString());
            assertThat(live.exitCode()).as(live.describe()).isZero();
            assertThat(live.stderr())
                    .contains("The journal " + journal + " is in use (pid " + run.pid())
                    .contains("reading a copy of it as of now");
            String liveId = live.stdout()
                    .lines()
                    .filter(line -> line.contains("newsroom"))
                    .map(line -> line.split("\\s+")[0])
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(live.describe()));
            Cli.Result replayed = Cli.troupe("replay", liveId, "--journal", journal.toString());
            assertThat(replayed.exitCode()).as(replayed.describe()).isZero();
            assertThat(replayed.stdout()).contains("Facts: foxes are clever.").doesNotContain("Edited");
            run.destroyForcibly(); // SIGKILL
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();

            Cli.Result runs = Cli.troupe("runs", "--journal", journal.toString());
            String id = runs.stdout()
                    .lines()
                    .filter(line -> line.contains("newsroom"))
                    .map(line -> line.split("\\s+")[0])
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(runs.describe()));
            assertThat(runs.stdout())
                    .contains("unfinished: unless a process still runs it, 'troupe resume " + id + "' finishes it");
            Cli.Result before = Cli.troupe("replay", id, "--journal", journal.toString(), "--json");

            // An unrelated run on the same journal finishes its own run and leaves the other untouched.
            Cli.Result unrelated =
                    Cli.troupe(e -> e.putAll(env), "run", other.toString(), "--journal", journal.toString(), "--quiet");
            assertThat(unrelated.exitCode()).as(unrelated.describe()).isZero();
            assertThat(unrelated.stdout().strip()).isEqualTo("Something else.");
            assertThat(Cli.troupe("replay", id, "--journal", journal.toString(), "--json")
                            .stdout())
                    .isEqualTo(before.stdout());
            assertThat(desk.calls("editor")).isEqualTo(1);

            Cli.Result resumed = Cli.troupe(e -> e.putAll(env), "resume", id, "--journal", journal.toString());

            assertThat(resumed.exitCode()).as(resumed.describe()).isZero();
            assertThat(resumed.stderr()).contains("Resuming run " + id + " (newsroom)");
            assertThat(resumed.stdout())
                    .contains("editor → @team INFORM: Edited: clever foxes.")
                    .contains("Published: clever foxes.")
                    .doesNotContain("researcher → @team INFORM"); // shown before the crash, not again
            assertThat(desk.calls("researcher"))
                    .as("a completed call is never made again")
                    .isEqualTo(1);
            assertThat(desk.calls("editor")).as("the abandoned call, once more").isEqualTo(2);
            assertThat(desk.calls("publisher")).isEqualTo(1);
            assertThat(Cli.troupe("runs", "--journal", journal.toString())
                            .stdout()
                            .lines())
                    .filteredOn(line -> line.startsWith(id))
                    .singleElement()
                    .satisfies(line -> assertThat(line).contains("completed: Published: clever foxes."));
            Cli.Result again = Cli.troupe("resume", "--all", "--journal", journal.toString());
            assertThat(again.exitCode()).isZero();
            assertThat(again.stderr()).contains("No unfinished runs");
        }
    }

    @Test
    void readingAJournalThatIsNotThere_isAnError_andCreatesNothing(@TempDir Path dir) throws Exception {
        Path typo = dir.resolve("jornal");

        Cli.Result runs = Cli.troupe("runs", "--journal", typo.toString());

        assertThat(runs.exitCode()).as(runs.describe()).isEqualTo(2);
        assertThat(runs.stderr()).contains("There is no journal in " + typo).contains("check the --journal path");
        assertThat(typo).doesNotExist();
    }

    @Test
    void resume_withoutRunsOrFlags_saysWhatToDo(@TempDir Path dir) throws Exception {
        Cli.Result result =
                Cli.troupe("resume", "--journal", dir.resolve("journal").toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("name the runs to resume, or pass --all");
        assertThat(List.of(result.stdout())).containsExactly("");
    }
}
