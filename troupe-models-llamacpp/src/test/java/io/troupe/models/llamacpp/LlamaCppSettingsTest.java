package io.troupe.models.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LlamaCppSettingsTest {

    @Test
    void defaults_areGreedyAndSingleThreaded() {
        assertThat(LlamaCppSettings.DEFAULTS.temperature()).isZero();
        assertThat(LlamaCppSettings.DEFAULTS.threads()).isEqualTo(1);
    }

    @Test
    void constructor_reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> new LlamaCppSettings(0, 8, 0, -1f, 1, List.of(""), 0, false))
                .isInstanceOfSatisfying(
                        ConfigurationException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "threads must be at least 1, got 0",
                                        "contextSize must be at least 16 tokens, got 8",
                                        "maxTokens must be at least 1, got 0",
                                        "temperature must be a finite number >= 0, got -1.0",
                                        "queueCapacity must be at least 1, got 0",
                                        "stopStrings must not contain null or empty strings, got [\"\"]"
                                                .replace("\"", "")));
    }

    @Test
    void sameLoadAs_ignoresSamplingSettings() {
        LlamaCppSettings sampling = LlamaCppSettings.DEFAULTS
                .withTemperature(0.7f)
                .withSeed(7)
                .withMaxTokens(9)
                .withStopStrings(List.of("x"));

        assertThat(sampling.sameLoadAs(LlamaCppSettings.DEFAULTS)).isTrue();
        assertThat(LlamaCppSettings.DEFAULTS.withThreads(2).sameLoadAs(LlamaCppSettings.DEFAULTS))
                .isFalse();
    }
}
