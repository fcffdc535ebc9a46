package io.troupe.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.config.ScenarioSpec;
import io.troupe.config.SpecLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What 'troupe validate' reports of a spec's local models, found without loading or downloading anything. */
class SpecModelsProblemsTest {
    private static ScenarioSpec spec(String models) {
        return SpecLoader.parse("""
                troupe: 1
                name: local
                models:
                %s
                agents:
                  - { id: writer, model: good, instructions: Write. }
                team: { mechanism: sequential, order: [writer] }
                task: Once
                """.formatted(models), "local.yaml", Map.<String, String>of()::get);
    }

    @Test
    void catalogNames_andNoOtherModels_haveNoProblems() {
        assertThat(SpecModels.problems(spec("  good: { provider: llamacpp, model: stories260K }")))
                .isEmpty();
    }

    @Test
    void aMistypedCatalogName_andAMissingFile_areReportedByModel() {
        assertThat(SpecModels.problems(spec("  good: { provider: llamacpp, model: stories260K }\n"
                        + "  typo: { provider: llamacpp, model: stories2600K }\n"
                        + "  gone: { provider: llamacpp, model: /nonexistent/x.gguf }")))
                .satisfiesExactly(
                        typo -> assertThat(typo)
                                .startsWith("model 'typo': Unknown model 'stories2600K': use a catalog name (")
                                .contains("stories260K"),
                        gone -> assertThat(gone)
                                .startsWith("model 'gone': Model file /nonexistent/x.gguf does not exist"));
    }
}
