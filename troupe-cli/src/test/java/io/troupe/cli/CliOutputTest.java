package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.ModelException;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import io.troupe.api.run.JournalEvent;
import io.troupe.config.ScenarioSpec;
import io.troupe.config.SpecLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the CLI prints for people: durations and money in their units, exit codes by remedy, progress, init. */
class CliOutputTest {
    @ParameterizedTest(name = "{0} ms is {1}")
    @CsvSource({
        "0, 0 ms",
        "719, 719 ms",
        "4249, 4.2 s",
        "59999, 60.0 s",
        "125000, 2 min 5 s",
        "120000, 2 min",
        "3780000, 1 h 3 min",
        "7200000, 2 h"
    })
    void duration_isWrittenInHumanUnits(long millis, String text) {
        assertThat(Units.duration(Duration.ofMillis(millis))).isEqualTo(text);
    }

    @Test
    void runsStatusColumn_writesDurationsInTheirUnits_likeRun() {
        io.troupe.api.run.RunSummary run = new io.troupe.api.run.RunSummary(
                "r1",
                "team",
                io.troupe.api.run.RunStatus.BUDGET_EXCEEDED,
                Instant.EPOCH,
                Instant.EPOCH.plusSeconds(15),
                new io.troupe.api.run.Outcome.BudgetExceeded(
                        io.troupe.api.budget.Budget.Resource.WALL_TIME, "PT15S", "PT15.001322897S"),
                Usage.ZERO,
                null,
                null,
                java.util.Map.of());

        assertThat(RunsCommand.status(run)).startsWith("budget exceeded: wall time used 15.0 s of 15.0 s;");
    }

    @ParameterizedTest(name = "{0} USD is {1}")
    @CsvSource({
        "0, $0",
        "0.00000000, $0",
        "0.006, $0.006",
        "0.0060000, $0.006",
        "0.000123456, $0.000123",
        "0.0000001, < $0.000001",
        "0.01, $0.01",
        "1.234, $1.23",
        "12, $12.00"
    })
    void money_isWrittenInDollars(String usd, String text) {
        assertThat(Units.money(new BigDecimal(usd))).isEqualTo(text);
    }

    @Test
    void isoDurations_inOutcomeText_areRewritten() {
        assertThat(Units.humanize("budget exceeded: wall used PT0.7194687S of PT2M; raise the budget"))
                .isEqualTo("budget exceeded: wall used 719 ms of 2 min; raise the budget");
        assertThat(Units.humanize("no duration in PTA or P1X here")).isEqualTo("no duration in PTA or P1X here");
    }

    @Test
    void counts_haveThousandsSeparators() {
        assertThat(Units.count(1234567)).isEqualTo("1,234,567");
    }

    @Test
    @DisplayName("exit codes: 3 for an unavailable model or network, 2 for a usage or spec error, 1 for the rest")
    void exitCodes_splitByRemedy() {
        assertThat(Main.exitCode(new ModelException.Retriable("HTTP 503", null)))
                .isEqualTo(Main.UNAVAILABLE);
        assertThat(Main.exitCode(new java.util.concurrent.CompletionException(
                        new io.troupe.api.ConfigurationException("x", List.of("y")))))
                .isEqualTo(Main.RUN_FAILED);
        assertThat(Main.exitCode(new io.troupe.api.ConfigurationException("bad spec")))
                .isEqualTo(Main.USAGE);
        assertThat(Main.exitCode(new RuntimeException("wrapped", new ConnectException("refused"))))
                .isEqualTo(Main.UNAVAILABLE);
        assertThat(Main.exitCode(new IllegalStateException("bug"))).isEqualTo(Main.RUN_FAILED);
        assertThat(List.of(Main.OK, Main.RUN_FAILED, Main.USAGE, Main.UNAVAILABLE))
                .containsExactly(0, 1, 2, 3);
    }

    @Test
    void usageErrors_exitTwo() {
        assertThat(Main.execute("run")).isEqualTo(Main.USAGE);
        assertThat(Main.execute("frobnicate")).isEqualTo(Main.USAGE);
        assertThat(Main.execute("init", "--mechanism", "telepathy")).isEqualTo(Main.USAGE);
    }

    @Test
    @DisplayName("progress: a line after ten silent seconds, naming whose model is working, then silence again")
    void progress_speaksOnlyAfterTenSilentSeconds() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Progress progress = new Progress(start);
        progress.seen(new JournalEvent.LlmCompleted(1, "writer", ModelResponse.text("x", Usage.of(100, 23))), start);
        progress.seen(new JournalEvent.LlmFailed(2, "writer", "x", false), start.plusSeconds(1)); // clears "waiting"

        assertThat(progress.tick(start.plusSeconds(9))).isNull();
        assertThat(progress.tick(start.plusSeconds(12)))
                .isEqualTo("  … 12.0 s: working; 1 model call done, 123 tokens");
        assertThat(progress.tick(start.plusSeconds(13))).isNull();
    }

    @Test
    @DisplayName("run --quiet prints the team's answer and nothing else, on either stream")
    void runQuiet_printsOnlyTheResult(@TempDir Path dir) throws Exception {
        try (LoopbackModel server = new LoopbackModel(LoopbackModel.Reply.text("The answer.", 5, 2))) {
            Path spec = Files.writeString(dir.resolve("quiet.yaml"), """
                    troupe: 1
                    name: quiet
                    models:
                      gpt: { provider: openai, model: m, base-url: "%s" }
                    agents: [{ id: a, model: gpt }, { id: b, model: gpt }]
                    task: "Ask"
                    """.formatted(server.baseUrl()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream stdout = System.out;
            PrintStream stderr = System.err;
            int exit;
            try {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                exit = Main.execute(
                        "run",
                        spec.toString(),
                        "--quiet",
                        "--journal",
                        dir.resolve("j").toString());
            } finally {
                System.setOut(stdout);
                System.setErr(stderr);
            }

            assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("The answer." + System.lineSeparator());
            assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
            assertThat(server.requests()).hasSize(2);
        }
    }

    @Test
    void quiet_printsOnlyTheResult_andNothingWhileTheRunGoes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        TranscriptPrinter printer = new TranscriptPrinter(out, false, true);

        printer.print(new io.troupe.api.run.TokenDelta(1, "writer", "Once"));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void validate_reportsWhatWouldStopARun_aMissingWorkspaceAndAnUnsetAuditKey(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("here"));
        String yaml = """
                troupe: 1
                name: desk
                models:
                  tiny: { provider: llamacpp, model: stories260K }
                tools:
                  files: { workspace: %s }
                agents:
                  - { id: clerk, model: tiny, tools: [files] }
                guardrails:
                  audit: { key-env: TROUPE_TEST_KEY_THAT_IS_NEVER_SET }
                task: File it.
                """;
        ScenarioSpec missing = SpecLoader.parse(yaml.formatted("./nowhere"), "desk.yaml", name -> null);
        ScenarioSpec present = SpecLoader.parse(
                yaml.formatted("./here")
                        .replace("guardrails:\n  audit: { key-env: TROUPE_TEST_KEY_THAT_IS_NEVER_SET }\n", ""),
                "desk.yaml",
                name -> null);

        assertThat(ValidateCommand.runProblems(missing, dir))
                .containsExactly(
                        "tool 'files': the files workspace " + dir.resolve("nowhere")
                                + " does not exist; create the folder first",
                        "guardrails: the audit log is keyed with the environment variable"
                                + " TROUPE_TEST_KEY_THAT_IS_NEVER_SET ('audit: { key-env:"
                                + " TROUPE_TEST_KEY_THAT_IS_NEVER_SET }'), which is not set; export a secret of at"
                                + " least 16 characters before running");
        assertThat(ValidateCommand.runProblems(present, dir)).isEmpty();
    }

    @Test
    void transcript_showsEachToolCallAndItsResult_onOneLineEach() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        TranscriptPrinter printer = new TranscriptPrinter(out, false, false);

        printer.print(new JournalEvent.ToolRequested(
                3,
                "clerk",
                "t1",
                new io.troupe.api.model.ToolCall("c1", "calculator", "{\"expression\":\n \"1+1\"}"),
                "run:3"));
        printer.print(new JournalEvent.ToolRequested(
                4, "clerk", "t1", new io.troupe.api.model.ToolCall("c2", "files", "{\"read\":\"x\"}"), "run:4"));
        printer.print(new JournalEvent.ToolCompleted(3, "clerk", "c1", io.troupe.api.tool.ToolResult.ok("2")));
        printer.print(new JournalEvent.ToolCompleted(
                4, "clerk", "c2", io.troupe.api.tool.ToolResult.error("no such file: x\n" + "y".repeat(300))));

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .containsExactly(
                        "  ⚙ clerk calls calculator {\"expression\": \"1+1\"}",
                        "  ⚙ clerk calls files {\"read\":\"x\"}",
                        "  ⚙ calculator → 2",
                        "  ⚙ files failed: no such file: x " + "y".repeat(143) + "…");
    }

    @Test
    @DisplayName("init: writes a commented spec that validates, for every mechanism and model; never overwrites")
    void init_writesStarterSpecsThatValidate(@TempDir Path dir) throws Exception {
        for (StarterSpec.Mechanism mechanism : StarterSpec.Mechanism.values()) {
            for (StarterSpec.Model model : StarterSpec.Model.values()) {
                Path file = dir.resolve(mechanism + "-" + model + ".yaml");

                assertThat(Main.execute(
                                "init", file.toString(), "--mechanism", mechanism.label, "--model", model.label))
                        .isEqualTo(Main.OK);

                String text = Files.readString(file);
                assertThat(text).startsWith("# ").contains("mechanism: " + mechanism.label);
                ScenarioSpec spec = SpecLoader.parse(text, file.toString(), variable -> "set");
                assertThat(spec.team().mechanism().kind()).isEqualTo(mechanism.label);
            }
        }
        Path first = dir.resolve("sequential-stories260K.yaml");
        String before = Files.readString(first);
        assertThat(Main.execute("init", first.toString(), "--mechanism", "debate"))
                .isEqualTo(Main.USAGE);
        assertThat(Files.readString(first)).isEqualTo(before);
        assertThat(Main.execute("init", first.toString(), "--mechanism", "debate", "--force"))
                .isEqualTo(Main.OK);
        assertThat(Files.readString(first)).contains("mechanism: debate");
    }

    @Test
    void init_derivesTheSpecNameFromTheFileName() {
        assertThat(InitCommand.nameOf(Path.of("dir/My Team.yaml"))).isEqualTo("My-Team");
        assertThat(InitCommand.nameOf(Path.of("2024.yml"))).isEqualTo("my-team");
    }
}
