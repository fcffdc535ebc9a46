package io.troupe.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.run.Outcome;
import io.troupe.api.team.MechanismSpec;
import io.troupe.runtime.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java example runs the same team as {@code examples/story-workshop.yaml}, on the real stories260K model. */
class JavaExampleTest {

    private static Path stories() {
        String dir = System.getenv("TROUPE_MODEL_DIR");
        if (dir == null || dir.isBlank()) {
            dir = System.getProperty("troupe.model.dir", "");
        }
        Path file = Path.of(dir).toAbsolutePath().resolve("stories260K.gguf");
        assertThat(file)
                .as("set TROUPE_MODEL_DIR to the directory that holds stories260K.gguf")
                .satisfies(f -> assertThat(Files.isRegularFile(f)).isTrue());
        return file;
    }

    @Test
    void team_isTheSpecsTeam() {
        var team = StoryWorkshop.team("tiny");

        assertThat(team.mechanism()).isEqualTo(new MechanismSpec.Sequential(List.of("writer", "editor")));
        assertThat(team.members()).extracting(m -> m.role()).containsExactly("author", "editor");
        assertThat(team.budget().maxTurns()).isEqualTo(10);
    }

    @Test
    void run_writesAStoryThroughBothAgents() {
        Outcome outcome = StoryWorkshop.run(stories(), Journal.inMemory(), "Once upon a time");

        assertThat(outcome)
                .isInstanceOfSatisfying(
                        Outcome.Completed.class,
                        completed -> assertThat(completed.result()).isNotBlank());
    }
}
