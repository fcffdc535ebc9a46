package io.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecFolderTest {
    private static final String SPEC = """
            troupe: 1
            name: %s
            models:
              tiny: { provider: llamacpp, model: stories260K }
            agents:
              - { id: writer, model: tiny }
            task: A story
            """;

    @Test
    void filesTheFolderCannotServe_areListedWithTheirProblem_andTheOthersAreServed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("story.yaml"), SPEC.formatted("story"));
        Files.writeString(dir.resolve("story.yml"), SPEC.formatted("story"));
        Files.writeString(dir.resolve("my spec.yaml"), SPEC.formatted("mine"));
        Files.writeString(dir.resolve("pair.yaml"), SPEC.formatted("pair"));

        SpecFolder folder = SpecFolder.load(dir);

        assertThat(folder.specs()).containsOnlyKeys("pair");
        assertThat(folder.broken()).containsOnlyKeys("story", "my spec.yaml");
        assertThat(folder.broken().get("story"))
                .contains("story.yml: another file is also named 'story' (.yaml and .yml): neither is served");
        assertThat(folder.broken().get("my spec.yaml"))
                .contains("cannot name a spec in URLs")
                .contains("rename");
    }
}
