package io.troupe.cli;

import static io.troupe.cli.Cli.troupe;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged CLI (the jar and {@code target/lib}, as the {@code ./troupe} launcher does) as a child process on
 * the story-workshop example and the local stories260K model.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliRunIT {
    private static final Path EXAMPLE = Cli.ROOT.resolve("examples/story-workshop.yaml");
    private static final Pattern RUN_ID = Pattern.compile("(?m)^Run id:\\s+(\\S+)$");

    @TempDir
    static Path journal;

    private Cli.Result run;

    @BeforeAll
    void runTheExampleOnce() throws Exception {
        run = troupe("run", EXAMPLE.toString(), "--journal", journal.toString());
    }

    @Test
    @DisplayName("run: exits 0, shows both agents' outputs and a summary with tokens and LLM calls")
    void run_storyWorkshop_printsTranscriptAndSummary() {
        assertThat(run.exitCode()).as(run.describe()).isZero();
        assertThat(messageLines(run.stdout()))
                .anySatisfy(line -> assertThat(line).matches("writer → @team INFORM: \\S.*"))
                .anySatisfy(line -> assertThat(line).matches("editor → @team INFORM: \\S.*"));
        assertThat(run.stdout())
                .containsPattern("(?m)^Result:\\s+completed: ")
                .containsPattern("(?m)^Tokens:\\s+[1-9]\\d* in, [1-9]\\d* out$")
                .containsPattern("(?m)^LLM calls:\\s+2$")
                .containsPattern("(?m)^Wall time:\\s+")
                .containsPattern(RUN_ID.pattern());
    }

    @Test
    @DisplayName("init: the starter spec of every mechanism runs to completion on the offline model")
    void init_starterSpecsOfEveryMechanism_runToCompletion(@TempDir Path dir) throws Exception {
        // Contract-net bids and debate verdicts are JSON: a 64-token answer limit cut every one of them off.
        for (StarterSpec.Mechanism mechanism : StarterSpec.Mechanism.values()) {
            Path spec = dir.resolve(mechanism.label + ".yaml");
            Cli.Result init = troupe("init", spec.toString(), "--mechanism", mechanism.label);
            assertThat(init.exitCode()).as(init.describe()).isZero();
            Cli.Result started = troupe("run", spec.toString(), "--journal", journal.toString(), "--quiet");
            assertThat(started.exitCode())
                    .as(mechanism.label + ": " + started.describe())
                    .isZero();
            assertThat(started.stdout()).as(mechanism.label).isNotBlank();
        }
    }

    @Test
    @DisplayName("run --json: every line is a JSON event, RunStarted first and RunFinished last")
    void runJson_printsOneEventPerLineInOrder() throws Exception {
        Cli.Result json = troupe("run", EXAMPLE.toString(), "--journal", journal.toString(), "--json");

        assertThat(json.exitCode()).as(json.describe()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        List<String> types = new ArrayList<>();
        for (String line : json.stdout().strip().split("\n")) {
            JsonNode event = mapper.readTree(line);
            assertThat(event.hasNonNull("@type")).as(line).isTrue();
            types.add(event.get("@type").asText());
        }
        List<String> journalTypes =
                types.stream().filter(type -> !type.equals("TokenDelta")).toList();
        assertThat(journalTypes.getFirst()).isEqualTo("JournalEvent$RunStarted");
        assertThat(journalTypes.getLast()).isEqualTo("JournalEvent$RunFinished");
        assertThat(journalTypes)
                .containsSubsequence(
                        "JournalEvent$RunStarted",
                        "JournalEvent$MessageSent",
                        "JournalEvent$TurnStarted",
                        "JournalEvent$LlmRequested",
                        "JournalEvent$LlmCompleted",
                        "JournalEvent$MessageSent",
                        "JournalEvent$MessageSent",
                        "JournalEvent$TurnStarted",
                        "JournalEvent$LlmRequested",
                        "JournalEvent$LlmCompleted",
                        "JournalEvent$MessageSent",
                        "JournalEvent$RunFinished")
                .filteredOn("JournalEvent$LlmCompleted"::equals)
                .hasSize(2);
        assertThat(types).contains("TokenDelta");
    }

    @Test
    @DisplayName("replay: prints the same transcript from the journal without loading the model")
    void replay_printsTheSameTranscriptWithoutAModel() throws Exception {
        assertThat(run.exitCode()).as(run.describe()).isZero();
        Matcher id = RUN_ID.matcher(run.stdout());
        assertThat(id.find()).isTrue();

        Cli.Result replay = troupe("replay", id.group(1), "--journal", journal.toString());

        assertThat(replay.exitCode()).as(replay.describe()).isZero();
        assertThat(messageLines(replay.stdout()))
                .isEqualTo(messageLines(run.stdout()))
                .hasSize(4);
        assertThat(replay.stdout()).contains("Run id:     " + id.group(1)).containsPattern("(?m)^LLM calls:\\s+2$");
        assertThat(replay.stderr()).doesNotContain("Loading model").doesNotContain("libjllama");
    }

    @Test
    @DisplayName("explain: says why the run stopped and how long it and each model call took, in text and JSON")
    void explain_saysHowLongTheRunAndItsCallsTook() throws Exception {
        assertThat(run.exitCode()).as(run.describe()).isZero();
        Matcher id = RUN_ID.matcher(run.stdout());
        assertThat(id.find()).isTrue();

        Cli.Result text = troupe("explain", id.group(1), "--journal", journal.toString());
        Cli.Result json = troupe("explain", id.group(1), "--journal", journal.toString(), "--json");

        assertThat(text.exitCode()).as(text.describe()).isZero();
        assertThat(text.stdout())
                .contains("the run completed")
                .containsPattern("(?m)^    took: \\d+(\\.\\d+)? (ms|s) \\(\\d+(\\.\\d+)? (ms|s) in 2 model calls\\)$")
                .containsPattern("(?m)^    slow: step \\d+, (writer|editor)'s model call of \\S+ took ");
        assertThat(json.exitCode()).as(json.describe()).isZero();
        JsonNode explained = new ObjectMapper().readTree(json.stdout());
        assertThat(explained.path("took").asText()).startsWith("PT");
        assertThat(explained.path("calls").findValuesAsText("agent")).containsExactly("writer", "editor");
        assertThat(explained.path("calls").findValuesAsText("kind")).containsExactly("model", "model");
        // Each call ended before the run did.
        java.time.Duration took =
                java.time.Duration.parse(explained.path("took").asText());
        for (JsonNode call : explained.path("calls")) {
            assertThat(java.time.Duration.parse(call.path("took").asText()))
                    .isPositive()
                    .isLessThanOrEqualTo(took);
        }
        JsonNode first = explained.path("calls").get(0);
        Cli.Result step = troupe(
                "explain",
                id.group(1),
                "--journal",
                journal.toString(),
                "--step",
                first.path("seq").asText());
        assertThat(step.exitCode()).as(step.describe()).isZero();
        assertThat(step.stdout())
                .startsWith("Event " + first.path("seq").asText() + " ended step "
                        + first.path("step").asText() + ", writer's model call of ")
                .contains(": it took ")
                .contains("; nothing was decided there");
    }

    @Test
    @DisplayName("runs: lists the example's run with its team, start time and status")
    void runs_listsTheRunWithTeamAndStatus() throws Exception {
        assertThat(run.exitCode()).as(run.describe()).isZero();
        Matcher id = RUN_ID.matcher(run.stdout());
        assertThat(id.find()).isTrue();

        Cli.Result runs = troupe("runs", "--journal", journal.toString());

        assertThat(runs.exitCode()).as(runs.describe()).isZero();
        assertThat(runs.stdout())
                .containsPattern("(?m)^" + Pattern.quote(id.group(1))
                        + "\\s+story-workshop\\s+\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z\\s+\\$\\S+\\s+completed: ");
        assertThat(runs.stderr()).doesNotContain("Loading model");
    }

    @Test
    @DisplayName("models list: prints the catalog and whether each model is cached")
    void modelsList_printsTheCatalog() throws Exception {
        Cli.Result list = troupe("models", "list");

        assertThat(list.exitCode()).as(list.describe()).isZero();
        assertThat(list.stdout())
                .containsPattern("(?m)^stories260K\\s+1\\.2 MB\\s+MIT\\s+270cba1bd5109f42[0-9a-f]{48}\\s+yes$")
                .containsPattern("(?m)^qwen2\\.5-0\\.5b-instruct\\s+.*Apache-2\\.0");
    }

    @Test
    @DisplayName("replay of an unknown run exits 2 and says so")
    void replay_unknownRun_exitsTwo() throws Exception {
        Cli.Result replay = troupe("replay", "no-such-run", "--journal", journal.toString());

        assertThat(replay.exitCode()).isEqualTo(2);
        assertThat(replay.stderr()).contains("No run 'no-such-run' in the journal");
    }

    @Test
    @DisplayName("validate: a good spec prints OK with its agents and mechanism; a broken one exits 2, no stack trace")
    void validate_reportsOkOrProblems(@TempDir Path dir) throws Exception {
        Cli.Result ok = troupe("validate", EXAMPLE.toString());
        assertThat(ok.exitCode()).as(ok.describe()).isZero();
        assertThat(ok.stdout().strip()).isEqualTo("OK: story-workshop: 2 agents, sequential");

        Path broken = Files.writeString(dir.resolve("broken.yaml"), "troupe: 1\nname: x\nagnets: []\n");
        Cli.Result bad = troupe("run", broken.toString(), "--journal", journal.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr())
                .contains("broken.yaml:3:1: unknown key 'agnets'")
                .doesNotContain("\tat ");
    }

    /** The lines that start a message in a transcript. */
    private static List<String> messageLines(String transcript) {
        return transcript.lines().filter(line -> line.contains(" → ")).toList();
    }
}
