package io.troupe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A spec's {@code runtime:} block: the admission limits of the runtime that runs it. */
class RuntimeSettingsTest {
    private static final String SPEC = """
            troupe: 1
            name: pair
            models: { tiny: { provider: llamacpp, model: stories260K } }
            agents:
              - { id: first, model: tiny }
            """;

    private static final Map<String, String> NO_ENV = Map.of();

    private static ScenarioSpec parse(String yaml) {
        return SpecLoader.parse(yaml, "pair.yaml", NO_ENV::get);
    }

    @Test
    void runtimeBlock_mapsOntoRuntimeSettings() {
        ScenarioSpec spec = parse(SPEC + """
                runtime: { max-runs-in-flight: 200, max-queued-runs: 0, max-queue-wait: 1m30s }
                """);

        assertThat(spec.runtime()).isEqualTo(new RuntimeSettings(200, 0, Duration.ofSeconds(90)));
    }

    @Test
    void runtimeBlock_withSomeKeys_leavesTheOthersToTheRuntime() {
        ScenarioSpec spec = parse(SPEC + "runtime: { max-queue-wait: 5s }\n");

        assertThat(spec.runtime()).isEqualTo(new RuntimeSettings(null, null, Duration.ofSeconds(5)));
    }

    @Test
    void noRuntimeBlock_givesTheDefaults() {
        assertThat(parse(SPEC).runtime()).isEqualTo(RuntimeSettings.DEFAULTS);
    }

    @Test
    void zeroRunsInFlight_isReportedAtItsValue() {
        assertThatThrownBy(() -> parse(SPEC + "runtime: { max-runs-in-flight: 0 }\n"))
                .isInstanceOf(SpecException.class)
                .hasMessage("pair.yaml:6:32: 'max-runs-in-flight' in 'runtime' must be positive, got 0"
                        + " — set a limit above zero, e.g. 'max-runs-in-flight: 200'");
    }

    @Test
    void quotedNumber_isReportedWithAHint() {
        assertThatThrownBy(() -> parse(SPEC + "runtime: { max-queued-runs: \"50\" }\n"))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("pair.yaml:6:29: ")
                .hasMessageContaining("write it like 'max-queued-runs: 50', without quotes");
    }

    @Test
    void misspelledKey_suggestsTheNearestOne() {
        assertThatThrownBy(() -> parse(SPEC + "runtime: { max-run-in-flight: 5 }\n"))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("pair.yaml:6:12: unknown key 'max-run-in-flight' in 'runtime'")
                .hasMessageContaining("did you mean 'max-runs-in-flight'?");
    }

    @Test
    void settings_refuseOutOfRangeValues() {
        assertThatThrownBy(() -> new RuntimeSettings(0, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRunsInFlight must be at least 1, got 0");
        assertThatThrownBy(() -> new RuntimeSettings(null, -1, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxQueuedRuns must not be negative, got -1");
        assertThatThrownBy(() -> new RuntimeSettings(null, null, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxQueueWait must be positive, got PT0S");
    }
}
