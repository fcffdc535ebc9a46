package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models configured in YAML get the same resilience layer as in Java, through the CLI, against a loopback
 * OpenAI-compatible server: retries that honour Retry-After, a fallback, the journaled {@code servedBy}, priced usage,
 * and a cost budget that ends the run.
 */
class YamlModelsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path spec(String yaml) throws Exception {
        return Files.writeString(dir.resolve("spec.yaml"), yaml);
    }

    @Test
    @DisplayName("429 with Retry-After: 1, then 500: the primary gives up after its two attempts and the priced"
            + " fallback answers")
    void retriesHonourRetryAfter_thenTheFallbackServes_andItsUsageIsPriced() throws Exception {
        try (LoopbackModel server = new LoopbackModel(
                LoopbackModel.Reply.text("A lighthouse story.", 1000, 500),
                LoopbackModel.Reply.error(429, Map.of("Retry-After", "1")),
                LoopbackModel.Reply.error(500, Map.of()))) {
            Path spec = spec("""
                    troupe: 1
                    name: resilient
                    models:
                      primary:
                        provider: openai
                        model: primary-model
                        base-url: %1$s
                        retries: { attempts: 2, backoff: 100ms, max-backoff: 5s }
                        timeout: 20s
                        fallback: [backup]
                      backup:
                        provider: openai
                        model: backup-model
                        base-url: %1$s
                        prices: { input: 2, output: 8 }
                    agents:
                      - { id: writer, model: primary, instructions: "Write a story." }
                    task: "A lighthouse"
                    """.formatted(server.baseUrl()));
            Path journal = dir.resolve("journal");

            Cli.Result run = Cli.troupe("run", spec.toString(), "--journal", journal.toString());

            assertThat(run.exitCode()).as(run.describe()).isZero();
            List<LoopbackModel.Request> requests = server.requests();
            assertThat(requests)
                    .extracting(LoopbackModel.Request::model)
                    .containsExactly("primary-model", "primary-model", "backup-model");
            Duration wait =
                    Duration.between(requests.get(0).at(), requests.get(1).at());
            assertThat(wait)
                    .as("Retry-After: 1 beats the 100 ms backoff")
                    .isBetween(Duration.ofMillis(950), Duration.ofSeconds(5));
            assertThat(Duration.between(requests.get(1).at(), requests.get(2).at()))
                    .as("the fallback is tried at once")
                    .isLessThan(Duration.ofSeconds(1));
            assertThat(run.stderr())
                    .contains("↻ model 'primary' attempt 1 failed")
                    .contains("retrying in 1.0 s")
                    .contains("⇢ model 'primary' gave up")
                    .contains("falling back to 'backup'");
            assertThat(run.stdout())
                    .contains("writer → @team INFORM: A lighthouse story.")
                    .contains("Tokens:     1,000 in, 500 out")
                    .contains("Cost:       $0.006");

            Matcher id = Pattern.compile("Run id:\\s+(\\S+)").matcher(run.stdout());
            assertThat(id.find()).as(run.describe()).isTrue();
            Cli.Result replay = Cli.troupe("replay", id.group(1), "--json", "--journal", journal.toString());
            assertThat(replay.exitCode()).as(replay.describe()).isZero();
            List<JsonNode> events =
                    replay.stdout().lines().map(YamlModelsIT::json).toList();
            JsonNode completed = events.stream()
                    .filter(e -> e.path("@type").asText().endsWith("$LlmCompleted"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no LlmCompleted in\n" + replay.describe()));
            assertThat(completed.path("response").path("servedBy").asText()).isEqualTo("backup");
            assertThat(new BigDecimal(completed
                            .path("response")
                            .path("usage")
                            .path("cost")
                            .asText()))
                    .isEqualByComparingTo("0.006");
        }
    }

    @Test
    @DisplayName("budget.cost ends the run once priced usage passes it: the second agent is never called")
    void costBudget_endsTheRun_whenPricedUsagePassesIt() throws Exception {
        try (LoopbackModel server = new LoopbackModel(LoopbackModel.Reply.text("Draft.", 1000, 500))) {
            Path spec = spec("""
                    troupe: 1
                    name: priced
                    models:
                      gpt: { provider: openai, model: gpt-test, base-url: "%s", prices: { input: 2, output: 8 } }
                    agents:
                      - { id: writer, model: gpt }
                      - { id: editor, model: gpt }
                    budget: { cost: 0.005 }
                    task: "A lighthouse"
                    """.formatted(server.baseUrl()));

            Cli.Result run = Cli.troupe(
                    "run", spec.toString(), "--journal", dir.resolve("journal").toString());

            assertThat(run.exitCode()).as(run.describe()).isEqualTo(1);
            assertThat(server.requests()).hasSize(1);
            assertThat(run.stdout()).contains("budget exceeded: cost").contains("Cost:       $0.006");
        }
    }

    @Test
    @DisplayName("a model that stays down after every retry and fallback exits 3, not 1 or 2")
    void modelDown_exitsThree() throws Exception {
        try (LoopbackModel server = new LoopbackModel(LoopbackModel.Reply.error(503, Map.of()))) {
            Path spec = spec("""
                    troupe: 1
                    name: down
                    models:
                      gpt: { provider: openai, model: gpt-test, base-url: "%s", retries: { attempts: 2, backoff: 10ms } }
                    agents: [{ id: writer, model: gpt }]
                    task: "A lighthouse"
                    """.formatted(server.baseUrl()));

            Cli.Result run = Cli.troupe(
                    "run", spec.toString(), "--journal", dir.resolve("journal").toString());

            assertThat(run.exitCode()).as(run.describe()).isEqualTo(3);
            assertThat(server.requests()).hasSize(2);
        }
    }

    @Test
    @DisplayName("--quiet shows no tokens, so its model calls are plain requests; a run that shows them streams")
    void quiet_makesPlainCalls_andAShownRunStreams() throws Exception {
        try (LoopbackModel server = new LoopbackModel(LoopbackModel.Reply.text("A short story.", 10, 5))) {
            Path spec = spec("""
                    troupe: 1
                    name: plain
                    models:
                      gpt: { provider: openai, model: gpt-test, base-url: "%s" }
                    agents: [{ id: writer, model: gpt }, { id: editor, model: gpt }]
                    task: "A lighthouse"
                    """.formatted(server.baseUrl()));

            Cli.Result quiet = Cli.troupe(
                    "run", spec.toString(), "--journal", dir.resolve("journal").toString(), "--quiet");
            assertThat(quiet.exitCode()).as(quiet.describe()).isZero();
            assertThat(quiet.stdout().strip()).isEqualTo("A short story.");
            assertThat(server.requests()).hasSize(2).noneMatch(LoopbackModel.Request::stream);

            Cli.Result shown = Cli.troupe(
                    "run", spec.toString(), "--journal", dir.resolve("journal").toString());
            assertThat(shown.exitCode()).as(shown.describe()).isZero();
            assertThat(server.requests()).hasSize(4);
            assertThat(server.requests().subList(2, 4)).allMatch(LoopbackModel.Request::stream);
        }
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
