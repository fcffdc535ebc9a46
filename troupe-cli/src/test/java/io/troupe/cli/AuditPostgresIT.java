package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a PostgreSQL journal, {@code troupe run} keeps each run's audit log where {@code troupe audit verify} with the
 * same {@code --journal} looks for it (a folder per database under {@code $TROUPE_HOME/audit}), and {@code
 * --audit-dir} moves it for both.
 */
class AuditPostgresIT {

    private static String runId(Cli.Result run) throws Exception {
        String first = run.stdout().strip().split("\n")[0];
        return new ObjectMapper().readTree(first).path("conversationId").asText();
    }

    @Test
    void aRunOnPostgres_isAuditedWhereAuditVerifyFindsIt_andAuditDirMovesItForBoth(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                LoopbackModel model = new LoopbackModel(LoopbackModel.Reply.text("The lighthouse stands.", 10, 5))) {
            String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            Path home = dir.resolve("home");
            Consumer<Map<String, String>> env = e -> {
                e.put("TROUPE_HOME", home.toString());
                e.put("TROUPE_JOURNAL_USER", "postgres");
            };
            Path spec = Files.writeString(dir.resolve("solo.yaml"), """
                    troupe: 1
                    name: solo
                    models:
                      loop: { provider: openai, model: loop, base-url: "%s" }
                    agents:
                      - { id: writer, model: loop, instructions: "Write." }
                    task: "A lighthouse"
                    """.formatted(model.baseUrl()));

            Cli.Result run = Cli.troupe(120, env, "run", spec.toString(), "--journal", url, "--json");
            assertThat(run.exitCode()).as(run.describe()).isZero();
            String id = runId(run);
            Path expected = home.resolve("audit")
                    .resolve("postgresql-localhost-" + postgres.getPort() + "-postgres")
                    .resolve(id + ".audit.jsonl");
            assertThat(expected).exists();
            assertThat(home.resolve("journal").resolve("audit")).doesNotExist();

            Cli.Result verified = Cli.troupe(120, env, "audit", "verify", id, "--journal", url);
            assertThat(verified.exitCode()).as(verified.describe()).isZero();
            assertThat(verified.stdout()).contains("run " + id + ": intact");

            Path elsewhere = dir.resolve("shared-audit");
            Cli.Result moved = Cli.troupe(
                    120, env, "run", spec.toString(), "--journal", url, "--audit-dir", elsewhere.toString(), "--json");
            assertThat(moved.exitCode()).as(moved.describe()).isZero();
            String movedId = runId(moved);
            assertThat(elsewhere.resolve(movedId + ".audit.jsonl")).exists();

            Cli.Result notThere = Cli.troupe(120, env, "audit", "verify", movedId, "--journal", url);
            assertThat(notThere.exitCode()).isEqualTo(Main.USAGE);
            assertThat(notThere.stderr()).contains("has no audit log in").contains("give --audit-dir");
            Cli.Result there = Cli.troupe(
                    120, env, "audit", "verify", movedId, "--journal", url, "--audit-dir", elsewhere.toString());
            assertThat(there.exitCode()).as(there.describe()).isZero();
            assertThat(there.stdout()).contains("run " + movedId + ": intact");
        }
    }
}
