package io.troupe.cli;

import io.troupe.telemetry.Telemetry;
import io.troupe.telemetry.TelemetrySettings;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The {@code --otel-endpoint} and {@code --otel-service} options: OpenTelemetry export of a run's traces and metrics,
 * also switched on by the standard {@code OTEL_EXPORTER_OTLP_ENDPOINT} environment variable (and {@code
 * OTEL_SERVICE_NAME}, {@code OTEL_EXPORTER_OTLP_HEADERS}, {@code OTEL_SDK_DISABLED}).
 */
final class TelemetryOption {
    @Option(
            names = "--otel-endpoint",
            paramLabel = "URL",
            description = "Export traces and metrics over OTLP/HTTP to URL, such as http://localhost:4318"
                    + " (default: $OTEL_EXPORTER_OTLP_ENDPOINT; none when unset).")
    @Nullable
    String endpoint;

    @Option(
            names = "--otel-service",
            paramLabel = "NAME",
            description = "The service.name of the exported telemetry (default: $OTEL_SERVICE_NAME, or troupe).")
    @Nullable
    String service;

    /**
     * Telemetry as the options and the environment ask, or null when neither asks for export.
     *
     * @throws io.troupe.api.ConfigurationException for a bad address or variable, naming it
     */
    @Nullable
    Telemetry open() {
        TelemetrySettings settings = settings();
        return settings.exports() ? Telemetry.create(settings) : null;
    }

    /**
     * The settings the options and the environment give; {@link TelemetrySettings#exports()} is false when neither
     * asks for export.
     *
     * @throws io.troupe.api.ConfigurationException for a bad address or variable, naming it
     */
    TelemetrySettings settings() {
        TelemetrySettings settings = TelemetrySettings.fromEnvironment(System::getenv);
        if (endpoint != null) {
            settings = new TelemetrySettings(
                    TelemetrySettings.otlp(endpoint).endpoint(),
                    settings.serviceName(),
                    settings.headers(),
                    settings.metricInterval());
        }
        if (service != null) {
            settings = settings.withServiceName(service);
        }
        if (settings.exports()) {
            OtelWarnings.install();
        }
        return settings;
    }
}
