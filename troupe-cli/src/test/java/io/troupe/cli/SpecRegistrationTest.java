package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import io.troupe.config.ModelConfig;
import io.troupe.config.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecRegistrationTest {
    private static final String SPEC = """
            troupe: 1
            name: desk
            # the models we use
            models:
              tiny: { provider: llamacpp, model: stories260K }   # local
            agents:
              - { id: writer, model: tiny }
            """;

    @TempDir
    Path dir;

    @Test
    void register_addsOneLineUnderModels_keepingCommentsAndTheRest() throws Exception {
        Path spec = Files.writeString(dir.resolve("desk.yaml"), SPEC);

        SpecRegistration.register(spec, "writer-ft", "ft:gpt-4o-mini:org:writer:abc", null, "OPENAI_API_KEY");

        assertThat(Files.readString(spec)).isEqualTo("""
                troupe: 1
                name: desk
                # the models we use
                models:
                  writer-ft: { provider: openai, model: "ft:gpt-4o-mini:org:writer:abc", api-key: "${OPENAI_API_KEY}" }
                  tiny: { provider: llamacpp, model: stories260K }   # local
                agents:
                  - { id: writer, model: tiny }
                """);
        assertThat(SpecLoader.load(spec, name -> null).models().get("writer-ft"))
                .isEqualTo(new ModelConfig(
                        ModelConfig.Provider.OPENAI, "ft:gpt-4o-mini:org:writer:abc", null, "OPENAI_API_KEY"));
    }

    @Test
    void register_sameNameAgain_replacesItsLine_withTheBaseUrl() throws Exception {
        Path spec = Files.writeString(dir.resolve("desk.yaml"), SPEC);
        SpecRegistration.register(spec, "writer-ft", "ft:old", null, "OPENAI_API_KEY");

        SpecRegistration.register(spec, "writer-ft", "ft:new", "http://127.0.0.1:9/v1", "MY_KEY");

        String text = Files.readString(spec);
        assertThat(text).doesNotContain("ft:old");
        assertThat(text).containsOnlyOnce("writer-ft:");
        assertThat(SpecLoader.load(spec, name -> null).models().get("writer-ft"))
                .isEqualTo(new ModelConfig(ModelConfig.Provider.OPENAI, "ft:new", "http://127.0.0.1:9/v1", "MY_KEY"));
    }

    @Test
    void register_nameDefinedOnSeveralLines_isRefused_andTheFileIsUnchanged() throws Exception {
        String blockStyle = SPEC.replace(
                "  tiny: { provider: llamacpp, model: stories260K }   # local",
                "  tiny:\n    provider: llamacpp\n    model: stories260K");
        Path spec = Files.writeString(dir.resolve("desk.yaml"), blockStyle);

        assertThatThrownBy(() -> SpecRegistration.register(spec, "tiny", "ft:x", null, "OPENAI_API_KEY"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Model 'tiny' is already defined in " + spec + " on several lines");
        assertThat(Files.readString(spec)).isEqualTo(blockStyle);
    }

    @Test
    void register_thatWouldBreakTheSpec_restoresIt() throws Exception {
        Path spec = Files.writeString(dir.resolve("desk.yaml"), SPEC.replace("troupe: 1\n", ""));

        assertThatThrownBy(() -> SpecRegistration.register(spec, "writer-ft", "ft:x", null, "OPENAI_API_KEY"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Registering model 'writer-ft' would break " + spec);
        assertThat(Files.readString(spec)).isEqualTo(SPEC.replace("troupe: 1\n", ""));
    }

    @Test
    void register_invalidName_isRefused() {
        assertThatThrownBy(() -> SpecRegistration.register(dir.resolve("x.yaml"), "9lives", "ft:x", null, "K"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("--as 9lives is not a model name");
    }
}
