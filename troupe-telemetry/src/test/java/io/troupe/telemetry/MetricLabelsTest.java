package io.troupe.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;

/** Label values that come from specs (inline ones from API clients) are bounded, so /metrics cannot grow forever. */
class MetricLabelsTest {
    @Test
    void pastTheBound_seriesWithNewTeamNames_areNotRecorded() {
        try (Telemetry telemetry = Telemetry.create(TelemetrySettings.OFF)) {
            for (int i = 0; i < Telemetry.MAX_TAG_VALUES + 500; i++) {
                Counter.builder("troupe.runs")
                        .tag("team", "card-" + i)
                        .tag("outcome", "completed")
                        .register(telemetry.registry())
                        .increment();
            }

            assertThat(telemetry.registry().find("troupe.runs").counters()).hasSize(Telemetry.MAX_TAG_VALUES);
            assertThat(telemetry
                            .registry()
                            .find("troupe.runs")
                            .tag("team", "card-0")
                            .counter())
                    .isNotNull()
                    .extracting(Counter::count)
                    .isEqualTo(1.0);
        }
    }
}
