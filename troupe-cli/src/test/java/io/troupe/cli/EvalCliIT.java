package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code troupe eval} on a scripted team: two agents on hosted models that a loopback OpenAI-compatible server
 * scripts, a good one and a bad one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvalCliIT {
    private static final String KEY = "test-key";

    @TempDir
    static Path dir;

    private ScriptedChatServer server;
    private Path spec;
    private Path cases;
    private Path journal;
    private Cli.Result single;

    @BeforeAll
    void setUp() throws Exception {
        server = new ScriptedChatServer((model, prompt) -> {
            if (prompt.contains("You grade the answer")) {
                return prompt.contains("SK123")
                        ? "{\"score\": 1, \"reason\": \"A flight with a time.\"}"
                        : "{\"score\": 0.25, \"reason\": \"No flight named.\"}";
            }
            if (!model.equals("good-model")) {
                return "I do not know.";
            }
            String city = prompt.contains("Oslo") ? "Oslo" : prompt.contains("Rome") ? "Rome" : "Paris";
            String flight = Map.of(
                            "Oslo",
                            "SK123 to Oslo at 9:15",
                            "Rome",
                            "AZ7 to Rome at 11:00",
                            "Paris",
                            "EF1 to Paris at 7:40")
                    .get(city);
            return prompt.contains("You confirm plans")
                    ? "Confirmed: flight " + flight + "."
                    : "Flight " + flight + ".";
        });
        spec = Files.writeString(dir.resolve("desk.yaml"), """
                troupe: 1
                name: travel-desk
                models:
                  good: { provider: openai, model: good-model, base-url: "%s", api-key: "${TEST_KEY}" }
                  bad: { provider: openai, model: bad-model, base-url: "%s", api-key: "${TEST_KEY}" }
                agents:
                  - { id: planner, model: good, instructions: "You plan trips." }
                  - { id: checker, model: good, instructions: "You confirm plans." }
                team: { mechanism: sequential, order: [planner, checker] }
                """.formatted(server.baseUrl(), server.baseUrl()));
        cases = Files.writeString(dir.resolve("cases.jsonl"), """
                {"id": "oslo", "task": "Book a flight to Oslo", "expect": {"contains": ["SK123", "Oslo"], "matches": "\\\\d+:\\\\d\\\\d", "max-steps": 2, "judge": "Does it name a flight and a time?"}}
                {"id": "rome", "task": "Book a flight to Rome", "expect": {"equals": "Confirmed: flight AZ7 to Rome at 11:00.", "outcome": "completed"}}
                {"id": "paris", "task": "Book a flight to Paris for ann.lee@example.com", "expect": {"contains": "EF1", "max-tokens": 100000, "no-tools": ["delegate"]}}
                """);
        journal = dir.resolve("journal");
        single = troupe(
                "eval",
                spec.toString(),
                "--cases",
                cases.toString(),
                "--judge",
                "good",
                "--out",
                dir.resolve("results.json").toString());
    }

    @AfterAll
    void tearDown() {
        server.close();
    }

    private Cli.Result troupe(String... args) throws Exception {
        String[] withJournal = new String[args.length + 2];
        System.arraycopy(args, 0, withJournal, 0, args.length);
        withJournal[args.length] = "--journal";
        withJournal[args.length + 1] = journal.toString();
        return Cli.troupe(120, env -> env.put("TEST_KEY", KEY), withJournal);
    }

    @Test
    @DisplayName("eval: scores every case with its rubric, prints a summary, writes JSON, exits 0 above the threshold")
    void eval_scoresEveryCase() throws Exception {
        assertThat(single.exitCode()).as(single.describe()).isZero();
        assertThat(single.stdout())
                .containsPattern("(?m)^PASS oslo\\s+travel-desk\\s+100%")
                .containsPattern("(?m)^PASS rome\\s+travel-desk\\s+100%")
                .containsPattern("(?m)^PASS paris\\s+travel-desk\\s+100%")
                .contains("travel-desk: score 100% (3 of 3 cases fully passed)");
        JsonNode results =
                new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertThat(results.path("runs")).hasSize(3);
        assertThat(results.path("evals")
                        .get(0)
                        .path("cases")
                        .get(0)
                        .path("checks")
                        .toString())
                .contains("\"check\":\"judge: Does it name a flight and a time?\",\"score\":1.0");
    }

    @Test
    @DisplayName(
            "eval --compare --threshold: both models side by side; exit 1 as the second scores below the threshold")
    void compare_printsTheTable_andExitsOneBelowTheThreshold() throws Exception {
        Cli.Result compare = troupe(
                "eval",
                spec.toString(),
                "--cases",
                cases.toString(),
                "--compare",
                "good",
                "bad",
                "--agent",
                "checker",
                "--judge",
                "good",
                "--threshold",
                "0.9");

        assertThat(compare.exitCode()).as(compare.describe()).isEqualTo(1);
        assertThat(compare.stdout())
                .containsPattern("(?m)^CASE\\s+good\\s+bad$")
                .containsPattern("(?m)^oslo\\s+100%\\s+31%$")
                .containsPattern("(?m)^rome\\s+100%\\s+50%$")
                .containsPattern("(?m)^paris\\s+100%\\s+67%$")
                .containsPattern("(?m)^score\\s+100%\\s+49%$")
                .containsPattern("(?m)^cost \\(USD\\)\\s+0\\s+0$")
                .containsPattern("(?m)^mean latency\\s+\\d+\\.\\d\\d s\\s+\\d+\\.\\d\\d s$")
                .containsPattern("(?m)^FAIL oslo\\s+bad\\s+31%")
                .contains("contains [\"SK123\", \"Oslo\"]: missing [SK123, Oslo] in \"I do not know.\"")
                .containsPattern("Score 49\\.\\d% of bad is below the threshold 90\\.0%");
        assertThat(server.models()).contains("bad-model");
    }

    @Test
    @DisplayName("eval --from-runs: the journal's completed runs of the team become cases that pass again")
    void fromRuns_turnsHistoryIntoCases() throws Exception {
        Path regression = dir.resolve("regression.yaml");

        Cli.Result written = troupe("eval", spec.toString(), "--from-runs", "--cases", regression.toString());
        Cli.Result rerun = troupe("eval", spec.toString(), "--cases", regression.toString(), "--threshold", "1");

        assertThat(written.exitCode()).as(written.describe()).isZero();
        assertThat(written.stdout()).containsPattern("Wrote \\d+ cases from the journal's runs of team 'travel-desk'");
        assertThat(Files.readString(regression))
                .contains(
                        "  task: Book a flight to Oslo\n",
                        "    equals: \"Confirmed: flight SK123 to Oslo at 9:15.\"\n");
        assertThat(rerun.exitCode()).as(rerun.describe()).isZero();
    }

    @Test
    @DisplayName("dataset export: personal data replaced unless --keep-pii; --approval filters; bad values refused")
    void datasetExport_redactsPersonalData_andFiltersByApproval() throws Exception {
        Path redacted = dir.resolve("redacted");
        Path kept = dir.resolve("kept");

        Cli.Result export = troupe("dataset", "export", "--out", redacted.toString(), "--eval-fraction", "0");
        Cli.Result keep = troupe("dataset", "export", "--out", kept.toString(), "--eval-fraction", "0", "--keep-pii");
        Cli.Result approved =
                troupe("dataset", "export", "--out", dir.resolve("none").toString(), "--approval", "approved");
        Cli.Result bad = troupe("dataset", "export", "--out", dir.resolve("bad").toString(), "--approval", "signed");
        // A journal with no runs (resume makes one, finding nothing to resume), and a --journal with no journal.
        assertThat(Cli.troupe(
                                "resume",
                                "--all",
                                "--journal",
                                dir.resolve("no-runs").toString())
                        .exitCode())
                .isZero();
        Cli.Result empty = Cli.troupe(
                "dataset",
                "export",
                "--out",
                dir.resolve("empty").toString(),
                "--journal",
                dir.resolve("no-runs").toString());
        Cli.Result missing = Cli.troupe(
                "dataset",
                "export",
                "--out",
                dir.resolve("missing").toString(),
                "--journal",
                dir.resolve("no-journal").toString());

        assertThat(export.exitCode()).as(export.describe()).isZero();
        assertThat(export.stdout()).containsPattern("(?m)^personal data\\s+\\d+ values replaced \\{EMAIL=\\d+}");
        assertThat(Files.readString(redacted.resolve("train.jsonl")))
                .contains("Book a flight to Paris for <EMAIL_1>")
                .doesNotContain("ann.lee@example.com");
        assertThat(Files.readString(redacted.resolve("manifest.json"))).contains("\"pii\" : \"replaced all\"");
        assertThat(keep.exitCode()).as(keep.describe()).isZero();
        assertThat(Files.readString(kept.resolve("train.jsonl")))
                .contains("Book a flight to Paris for ann.lee@example.com");
        assertThat(approved.exitCode())
                .as("no run was reviewed by a person: " + approved.describe())
                .isEqualTo(1);
        assertThat(approved.stdout()).containsPattern("(?m)^  left out \\(approval\\)\\s+\\d+$");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("--approval signed is not one of approved, denied, unreviewed, any");
        assertThat(empty.exitCode()).as(empty.describe()).isEqualTo(1);
        assertThat(empty.stderr())
                .contains("The journal " + dir.resolve("no-runs") + " holds no runs: pass the --journal");
        assertThat(missing.exitCode()).as(missing.describe()).isEqualTo(2);
        assertThat(missing.stderr()).contains("There is no journal in " + dir.resolve("no-journal"));
        assertThat(dir.resolve("no-journal")).doesNotExist();
    }

    @Test
    @DisplayName(
            "eval: a broken cases file is refused with file:line for every mistake, an unknown model by name; exit 2")
    void brokenCasesAndUnknownModels_areRefused() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.jsonl"), """
                {"id": "a", "task": "Book", "expect": {"contain": ["x"]}}
                {"id": "b"}
                {"id": "c", "task": "Book", "expect": {"matches": "("}}
                """);

        Cli.Result result = troupe("eval", spec.toString(), "--cases", broken.toString());
        Cli.Result unknown =
                troupe("eval", spec.toString(), "--cases", cases.toString(), "--compare", "good", "nosuch");

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(2);
        assertThat(result.stderr())
                .contains(broken + ":1: unknown check 'contain' in case 'a'")
                .contains(broken + ":2: case 'b' has no \"task\"")
                .contains(broken + ":3: 'matches' of case 'c' is not a regular expression");
        assertThat(result.stderr()).doesNotContain("\tat ");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr())
                .contains("--compare nosuch is neither a model under 'models' [good, bad] nor a local model");
    }
}
