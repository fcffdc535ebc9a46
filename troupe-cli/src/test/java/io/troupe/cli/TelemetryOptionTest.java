package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import io.troupe.telemetry.TelemetrySettings;
import java.net.URI;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The telemetry options that run, resume, replay and serve share. */
class TelemetryOptionTest {
    @Command(name = "probe")
    static final class Probe {
        @Mixin
        TelemetryOption telemetry = new TelemetryOption();
    }

    private static TelemetrySettings parse(String... args) {
        Probe probe = new Probe();
        new CommandLine(probe).parseArgs(args);
        return probe.telemetry.settings();
    }

    @Test
    void theOptionsSetTheEndpointServiceAndShareOfRunsTraced() {
        TelemetrySettings settings =
                parse("--otel-endpoint", "http://127.0.0.1:4318", "--otel-service", "desk", "--otel-sample", "0.25");

        assertThat(settings.endpoint()).isEqualTo(URI.create("http://127.0.0.1:4318"));
        assertThat(settings.serviceName()).isEqualTo("desk");
        assertThat(settings.sampleRatio()).isEqualTo(0.25);
    }

    @Test
    void withoutTheSampleOption_everyRunIsTraced_unlessTheEnvironmentSaysOtherwise() {
        TelemetrySettings settings = parse("--otel-endpoint", "http://127.0.0.1:4318");

        assertThat(settings.sampleRatio())
                .isEqualTo(TelemetrySettings.fromEnvironment(System::getenv).sampleRatio());
    }

    @Test
    void aShareOutsideZeroToOne_isRefusedSayingWhatIsAllowed() {
        assertThatThrownBy(() -> parse("--otel-endpoint", "http://127.0.0.1:4318", "--otel-sample", "1.5"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("--otel-sample must be")
                .hasMessageContaining("from 0 to 1")
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> parse("--otel-sample", "half"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--otel-sample")
                .hasMessageContaining("half");
    }
}
