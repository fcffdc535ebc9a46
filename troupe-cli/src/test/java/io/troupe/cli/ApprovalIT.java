package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.ApprovalDecided;
import io.troupe.api.run.JournalEvent.ToolCallRejected;
import io.troupe.api.run.JournalEvent.ToolCompleted;
import io.troupe.api.run.JournalEvent.ToolRequested;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.config.ScenarioSpec;
import io.troupe.config.SpecLoader;
import io.troupe.config.SpecSource;
import io.troupe.guard.Guard;
import io.troupe.launch.SpecGuard;
import io.troupe.launch.SpecModels;
import io.troupe.launch.SpecTools;
import io.troupe.runtime.Journal;
import io.troupe.runtime.TroupeRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sensitive tool's call waits for a person: the run survives a kill -9 while it waits, {@code troupe approvals}
 * lists and decides it on the journal, and {@code troupe resume} goes on. An approved call runs once; a denied
 * one is journaled and the run goes on without it, or ends, as the spec says.
 */
class ApprovalIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String LOG = "troupe.transfers";
    private static final String TRANSFER = """
            package com.example.pay;

            import io.troupe.api.tool.Tool;
            import io.troupe.api.tool.ToolDefinition;
            import io.troupe.api.tool.ToolInvocation;
            import io.troupe.api.tool.ToolResult;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.nio.file.StandardOpenOption;

            /** Pays, and writes each payment to the file the system property troupe.transfers names. */
            public final class TransferTool implements Tool {
                @Override
                public ToolDefinition definition() {
                    return new ToolDefinition("transfer", "Pays money to someone.",
                            "{\\"type\\":\\"object\\",\\"properties\\":{\\"to\\":{\\"type\\":\\"string\\"},"
                            + "\\"amount\\":{\\"type\\":\\"string\\"}},\\"required\\":[\\"to\\",\\"amount\\"]}");
                }

                @Override
                public ToolResult execute(ToolInvocation invocation) throws Exception {
                    Files.writeString(Path.of(System.getProperty("troupe.transfers")),
                            invocation.arguments() + " " + invocation.idempotencyKey() + "\\n",
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    return ToolResult.ok("paid");
                }
            }
            """;

    @TempDir
    static Path shared;

    static Path plugins;

    @BeforeAll
    static void buildThePlugin() throws IOException {
        plugins = Plugins.jar(shared, "com.example.pay.TransferTool", TRANSFER);
    }

    static Path spec(Path dir, LoopbackModel model, String onDeny) throws IOException {
        return Files.writeString(dir.resolve("payments.yaml"), """
                troupe: 1
                name: payments
                models:
                  gpt: { provider: openai, model: m, base-url: "%s" }
                tools:
                  transfer: { sensitive: true, data: [payments] }
                agents:
                  - id: clerk
                    model: gpt
                    instructions: "You pay invoices."
                    tools: [transfer]
                guardrails:
                  approvals: { on-deny: %s }
                budget: { wall: 12s }
                task: "Pay Ann 100 EUR"
                """.formatted(model.baseUrl(), onDeny));
    }

    static final String RUN = "RUN";
    static final String WAITING = "WAITING";

    /** The child JVM: runs the spec as `troupe run` does, says when the run waits, and waits to be killed. */
    public static void main(String[] args) throws Exception {
        Path spec = Path.of(args[0]);
        Path journal = Path.of(args[1]);
        ScenarioSpec scenario = SpecLoader.load(spec);
        SpecTools tools = SpecTools.build(scenario, spec, Path.of(args[2]));
        SpecSource source = SpecSource.read(spec, null, Path.of(args[2]));
        SpecModels models = SpecModels.build(scenario, System.err, new Notices(System.err));
        Guard guard = Objects.requireNonNull(SpecGuard.build(
                scenario, SpecGuard.auditDirectory(journal), System::getenv, name -> java.util.Optional.empty()));
        TroupeRuntime.Builder builder = TroupeRuntime.builder()
                .journal(Journal.h2(journal))
                .resume(false)
                .config("pekko.loglevel = ERROR");
        models.models().forEach(builder::model);
        Troupe troupe = guard.start(builder, tools.tools());
        RunHandle run = troupe.run(scenario.team(), Objects.requireNonNull(scenario.task()), source.toMetadata());
        System.out.println(RUN + " " + run.conversationId());
        await().atMost(WAIT).until(() -> !troupe.approvals().isEmpty());
        System.out.println(WAITING + " " + troupe.approvals().getFirst().key());
        System.out.flush();
    }

    @Test
    void aSensitiveCall_waitsAcrossAKill_andRunsOnceAfterApproval(@TempDir Path dir) throws Exception {
        Path transfers = dir.resolve("transfers.log");
        Path journal = dir.resolve("journal");
        try (LoopbackModel model = new LoopbackModel(
                LoopbackModel.Reply.text("Paid Ann 100 EUR.", 20, 5),
                LoopbackModel.Reply.toolCall("transfer", "{\"to\":\"Ann\",\"amount\":\"100 EUR\"}"))) {
            Path spec = spec(dir, model, "continue");
            List<String> lines = ChildJvm.runUntil(
                    ApprovalIT.class,
                    List.of("-D" + LOG + "=" + transfers),
                    List.of(spec.toString(), journal.toString(), plugins.toString()),
                    dir.resolve("child.log"),
                    line -> line.startsWith(WAITING));
            String id = ChildJvm.value(lines, RUN);
            String key = ChildJvm.value(lines, WAITING);
            assertThat(transfers).doesNotExist();

            InProcess.Result listed = InProcess.run("approvals", "list", "--journal", journal.toString());
            assertThat(listed.exit()).as(listed.toString()).isZero();
            assertThat(listed.out())
                    .contains("run " + id + "  key " + key)
                    .contains("tool use of clerk: tool transfer {\"to\":\"Ann\",\"amount\":\"100 EUR\"}")
                    .contains("held by approvals: tool 'transfer' is sensitive: a person must approve this call by"
                            + " clerk");

            // The person takes longer to decide than the run's whole wall-clock budget (12 s): time the run spends
            // waiting for a person is not its to spend.
            await().pollDelay(Duration.ofMillis(12_500)).atMost(WAIT).until(() -> true);
            InProcess.Result approved = InProcess.run(
                    "approvals",
                    "approve",
                    id.substring(0, 8), // the start of the id, as 'troupe runs' users type it
                    key,
                    "--by",
                    "ops",
                    "--note",
                    "Ann is owed it",
                    "--journal",
                    journal.toString());
            assertThat(approved.exit()).as(approved.toString()).isZero();
            assertThat(InProcess.run("approvals", "approve", id, key, "--journal", journal.toString())
                            .err())
                    .contains("holds nothing for a person at '" + key + "'")
                    .contains("'troupe approvals list --journal " + journal + "'")
                    .doesNotContain("Troupe.approvals()");

            System.setProperty(LOG, transfers.toString());
            InProcess.Result resumed = InProcess.run("resume", id, "--quiet", "--journal", journal.toString());
            assertThat(resumed.exit()).as(resumed.toString()).isZero();
            assertThat(resumed.out().strip()).isEqualTo("Paid Ann 100 EUR.");
            Transcript journaled = replay(journal, id);
            assertThat(Files.readAllLines(transfers))
                    .as("the tool ran once, with the call's idempotency key")
                    .containsExactly("{\"to\":\"Ann\",\"amount\":\"100 EUR\"} "
                            + first(journaled, ToolRequested.class).idempotencyKey());
            ApprovalDecided decided = first(journaled, ApprovalDecided.class);
            assertThat(decided.approved()).isTrue();
            assertThat(decided.by()).isEqualTo("ops");
            assertThat(journaled.events().indexOf(decided))
                    .isLessThan(journaled.events().indexOf(first(journaled, ToolRequested.class)));
            assertThat(journaled.events().stream().filter(ToolCompleted.class::isInstance))
                    .hasSize(1);
            assertThat(first(journaled, JournalEvent.RunResumed.class).downtime())
                    .as("from the hold to the resume")
                    .isGreaterThan(Duration.ofMillis(12_500));

            InProcess.Result verified =
                    InProcess.run("audit", "verify", id.substring(0, 8), "--journal", journal.toString());
            assertThat(verified.exit()).as(verified.toString()).isZero();
            assertThat(verified.out()).contains("run " + id + ": intact");
            assertThat(Files.readString(SpecGuard.auditDirectory(journal).resolve(id + ".audit.jsonl")))
                    .contains("\"type\":\"approval\"")
                    .contains("\"decision\":\"approved\",\"by\":\"ops\"");
        }
    }

    @Test
    void aDeniedCall_isJournaled_andTheRunGoesOnWithoutIt(@TempDir Path dir) throws Exception {
        Path transfers = dir.resolve("transfers.log");
        System.setProperty(LOG, transfers.toString());
        Path journal = dir.resolve("journal");
        try (LoopbackModel model = new LoopbackModel(
                LoopbackModel.Reply.text("The transfer was refused; Ann is not paid.", 20, 5),
                LoopbackModel.Reply.toolCall("transfer", "{\"to\":\"Ann\",\"amount\":\"1000000 EUR\"}"))) {
            Path spec = spec(dir, model, "continue");

            InProcess.Result waiting = InProcess.run(
                    "run", spec.toString(), "--journal", journal.toString(), "--plugins", plugins.toString());
            assertThat(waiting.exit()).as(waiting.toString()).isEqualTo(Main.WAITING);
            assertThat(waiting.err())
                    .contains("waits for a person: tool 'transfer' is sensitive")
                    .contains("then go on with: troupe resume");
            String id = idIn(waiting.err());
            String key = pending(journal);
            InProcess.Result denied = InProcess.run(
                    "approvals",
                    "deny",
                    id,
                    key,
                    "--by",
                    "ops",
                    "--note",
                    "far too much",
                    "--journal",
                    journal.toString());
            assertThat(denied.exit()).as(denied.toString()).isZero();
            InProcess.Result resumed = InProcess.run("resume", id, "--journal", journal.toString());

            assertThat(resumed.exit()).as(resumed.toString()).isZero();
            assertThat(resumed.out()).contains("The transfer was refused; Ann is not paid.");
            InProcess.Result replayed = InProcess.run("replay", id, "--journal", journal.toString());
            assertThat(replayed.out())
                    .contains("⛉ approvals (a tool call of clerk): waiting for a human: tool 'transfer' is sensitive")
                    .contains("✘ denied by ops: far too much");
            assertThat(transfers).doesNotExist();
            Transcript journaled = replay(journal, id);
            assertThat(first(journaled, ToolCallRejected.class).reason())
                    .contains("denied by ops (far too much); approvals had asked: tool 'transfer' is sensitive");
            assertThat(journaled.events()).noneMatch(ToolRequested.class::isInstance);
        }
    }

    @Test
    void aDeniedCall_endsTheRun_whenTheSpecSaysSo(@TempDir Path dir) throws Exception {
        Path journal = dir.resolve("journal");
        System.setProperty(LOG, dir.resolve("transfers.log").toString());
        try (LoopbackModel model = new LoopbackModel(
                LoopbackModel.Reply.text("unused", 1, 1),
                LoopbackModel.Reply.toolCall("transfer", "{\"to\":\"Bob\",\"amount\":\"5 EUR\"}"))) {
            Path spec = spec(dir, model, "end-run");
            InProcess.Result waiting = InProcess.run(
                    "run", spec.toString(), "--journal", journal.toString(), "--plugins", plugins.toString());
            String id = idIn(waiting.err());
            assertThat(InProcess.run("approvals", "deny", id, pending(journal), "--journal", journal.toString())
                            .exit())
                    .isZero();

            InProcess.Result resumed = InProcess.run("resume", id, "--quiet", "--journal", journal.toString());

            assertThat(resumed.exit()).as(resumed.toString()).isEqualTo(Main.RUN_FAILED);
            assertThat(resumed.err()).contains("a call of tool 'transfer' by clerk was blocked: denied by");
            assertThat(replay(journal, id).outcome().orElseThrow()).isInstanceOf(Outcome.Failed.class);
            assertThat(model.requests()).hasSize(1);
        }
    }

    private static String idIn(String text) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("Run (\\S+) waits for a person").matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group(1);
    }

    private static String pending(Path journal) {
        InProcess.Result listed = InProcess.run("approvals", "list", "--journal", journal.toString());
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("  key (\\S+)").matcher(listed.out());
        assertThat(m.find()).as(listed.toString()).isTrue();
        return m.group(1);
    }

    private static Transcript replay(Path journal, String id) {
        try (Troupe troupe = TroupeRuntime.builder()
                .journal(Journal.h2(journal))
                .resume(false)
                .start()) {
            return troupe.replay(id).toCompletableFuture().join();
        }
    }

    private static <T extends JournalEvent> T first(Transcript transcript, Class<T> type) {
        return transcript.events().stream()
                .filter(type::isInstance)
                .map(type::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + transcript.events()));
    }
}
