package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.run.JournalEvent.LlmCompleted;
import io.troupe.api.run.JournalEvent.RunStarted;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A string with a lone UTF-16 surrogate (valid JSON as {@code \ud800}, not valid Unicode) reaches the journal from a
 * task, a reason or a model's answer. The JDBC journal writes it with U+FFFD in its place, as JSON output does: before,
 * the CBOR encoder refused the event, the run's entity stopped, and its model call was made again.
 */
class LoneSurrogateIT {
    @Test
    void aTaskAndAnAnswerWithLoneSurrogates_areJournaledWithReplacementCharacters(@TempDir Path dir) {
        ScriptedModel model = new ScriptedModel();
        model.on(Match.any(), Reply.text("half \ud83d of an emoji"));
        TeamSpec team = TeamSpec.builder("solo")
                .members(AgentSpec.of("writer", "m", "You write."))
                .sequential("writer")
                .build();
        try (Troupe troupe = TroupeRuntime.builder()
                .model("m", model)
                .journal(Journal.h2(dir.resolve("journal")))
                .config(TroupeHarness.TEST_CONFIG)
                .start()) {
            var run = troupe.run(team, "a task \ud800 with a lone surrogate");
            Outcome outcome = run.outcome()
                    .toCompletableFuture()
                    .orTimeout(60, java.util.concurrent.TimeUnit.SECONDS)
                    .join();

            assertThat(outcome).isInstanceOf(Outcome.Completed.class);
            assertThat(model.requests())
                    .as("the model is called once, not again after a failed write")
                    .hasSize(1);
            Transcript journal =
                    troupe.replay(run.conversationId()).toCompletableFuture().join();
            assertThat(journal.events().stream()
                            .filter(RunStarted.class::isInstance)
                            .map(event -> ((RunStarted) event).task()))
                    .containsExactly("a task \ufffd with a lone surrogate");
            assertThat(journal.events().stream()
                            .filter(LlmCompleted.class::isInstance)
                            .map(event -> ((LlmCompleted) event).response().text()))
                    .containsExactly("half \ufffd of an emoji");
        }
    }
}
