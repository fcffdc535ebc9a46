package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Point;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.PendingApproval;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.RunStatus;
import io.troupe.api.run.RunSummary;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.DurableFixture.Scenario;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL journal against a real PostgreSQL (embedded, started by the test): the schema is created at start,
 * again and again and by nodes starting at once; a run killed mid-way with SIGKILL is finished by a new runtime on
 * the same database without repeating a completed step; and the run index (runs, statuses, metadata, approvals)
 * reads the tagged batches from PostgreSQL.
 */
class PostgresJournalIT {
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** A fresh database on the shared server, and its JDBC URL (the user in the URL, no password: trust auth). */
    private static String freshDatabase(String name) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + name + "?user=postgres";
    }

    private static List<String> tables(String database) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection connection = postgres.getDatabase("postgres", database).getConnection();
                ResultSet rows = connection.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
            while (rows.next()) {
                tables.add(rows.getString("TABLE_NAME"));
            }
        }
        return tables;
    }

    private static TroupeRuntime.Builder runtime(String url) {
        return TroupeRuntime.builder().journal(Journal.postgres(url)).config(TroupeHarness.TEST_CONFIG);
    }

    @Test
    void theSchema_isCreatedAtStart_byNodesStartingAtOnce_andAgainWithoutHarm() throws Exception {
        String url = freshDatabase("schema_race");
        ExecutorService starters = Executors.newFixedThreadPool(3);
        try {
            List<Future<TroupeNode>> nodes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                nodes.add(starters.submit(() -> runtime(url).start()));
            }
            for (Future<TroupeNode> node : nodes) {
                node.get().close();
            }
        } finally {
            starters.shutdownNow();
        }
        assertThat(tables("schema_race")).contains("event_journal", "event_tag", "snapshot");

        ScriptedModel model = new ScriptedModel().on(Match.any(), Reply.text("done"));
        try (Troupe troupe = runtime(url).model("m", model).start()) {
            RunHandle run = troupe.run(solo(), "work", Map.of("source", "schema test"));
            assertThat(run.outcome().toCompletableFuture().join()).isEqualTo(new Outcome.Completed("done", null));
        }
        try (TroupeNode troupe = runtime(url).start()) {
            assertThat(troupe.runs()).singleElement().satisfies(run -> {
                assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
                assertThat(run.metadata()).containsEntry("source", "schema test");
            });
            assertThat(troupe.health(Duration.ofSeconds(10)).ready()).isTrue();
        }
    }

    @Test
    void aRunKilledMidway_isFinishedFromPostgres_withoutRepeatingACompletedStep(@TempDir Path dir) throws Exception {
        String url = freshDatabase("crash");
        List<String> lines = ChildJvm.runUntil(
                DurableFixture.class,
                List.of(dir.toString(), Scenario.AFTER_SECOND_MODEL_STEP.name(), url),
                dir.resolve("child-stderr.log"),
                line -> line.startsWith(DurableFixture.KILL_POINT));
        String id = ChildJvm.value(lines, DurableFixture.RUN);

        ScriptedModel model = DurableFixture.model(2); // calls 1 and 2 completed before the kill
        try (Troupe troupe = runtime(url)
                .model("m", model)
                .tool(DurableFixture.recordEffect(dir, false))
                .start()) {
            Transcript journal = await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () -> troupe.replay(id).toCompletableFuture().join(),
                            t -> t.outcome().isPresent());
            assertThat(journal.outcome()).contains(new Outcome.Completed("Published: a clever fox.", null));
            assertThat(journal.events())
                    .filteredOn(JournalEvent.LlmCompleted.class::isInstance)
                    .hasSize(6);
        }
        model.verify();
        assertThat(DurableFixture.lines(dir.resolve("effects.log")).stream().map(line -> line.split(" ")[1]))
                .containsExactly("research", "draft", "publish");
    }

    @Test
    void theRunIndex_readsStatusesMetadataAndApprovals_fromPostgres() throws Exception {
        String url = freshDatabase("run_index");
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("solo"), Reply.text("done"))
                .on(Match.system("approve"), Reply.toolCall("pay", "{}"))
                .on(Match.afterTool("pay"), Reply.text("paid"));
        Verdict hold = Verdict.askHuman("payments need a person");
        String waiting;
        try (Troupe troupe = runtime(url)
                .model("m", model)
                .tool(io.troupe.api.tool.Tool.of(
                        new io.troupe.api.tool.ToolDefinition("pay", "Pays.", "{\"type\":\"object\"}"),
                        call -> io.troupe.api.tool.ToolResult.ok("ok")))
                .interceptor("approvals", new io.troupe.api.intercept.Interceptor() {
                    @Override
                    public Verdict intercept(Interception interception) {
                        return hold;
                    }

                    @Override
                    public java.util.Set<Point> points() {
                        return java.util.Set.of(Point.TOOL_USE);
                    }
                })
                .start()) {
            RunHandle done = troupe.run(solo(), "work", Map.of("spec", "solo"));
            assertThat(done.outcome().toCompletableFuture().join()).isEqualTo(new Outcome.Completed("done", null));
            waiting =
                    troupe.run(payer(), "pay the bill", Map.of("spec", "payer")).conversationId();
            List<PendingApproval> pending =
                    await().atMost(Duration.ofSeconds(30)).until(troupe::approvals, list -> !list.isEmpty());
            assertThat(pending).singleElement().satisfies(approval -> {
                assertThat(approval.conversationId()).isEqualTo(waiting);
                assertThat(approval.reason()).isEqualTo("payments need a person");
                assertThat(approval.subject()).isInstanceOf(Interception.Subject.ToolUse.class);
            });
            List<RunSummary> runs = troupe.runs();
            assertThat(runs)
                    .extracting(RunSummary::status)
                    .containsExactly(RunStatus.WAITING_FOR_APPROVAL, RunStatus.COMPLETED);
            assertThat(runs).extracting(run -> run.metadata().get("spec")).containsExactly("payer", "solo");

            troupe.approve(waiting, pending.getFirst().key(), "ops", "checked");
            assertThat(troupe.attach(waiting).outcome().toCompletableFuture().join())
                    .isEqualTo(new Outcome.Completed("paid", null));
            assertThat(troupe.approvals()).isEmpty();
        }
        try (Troupe troupe = runtime(url).start()) { // a second node reads the same index
            assertThat(troupe.runs())
                    .extracting(RunSummary::status)
                    .containsExactly(RunStatus.COMPLETED, RunStatus.COMPLETED);
        }
        model.verify();
    }

    private static TeamSpec solo() {
        return TeamSpec.builder("solo")
                .members(AgentSpec.of("worker", "m", "solo worker"))
                .build();
    }

    private static TeamSpec payer() {
        return TeamSpec.builder("payer")
                .members(AgentSpec.builder("clerk")
                        .model("m")
                        .instructions("approve payments")
                        .tools("pay")
                        .build())
                .build();
    }
}
