package io.troupe.cli;

import io.troupe.api.ConfigurationException;
import io.troupe.telemetry.Telemetry;
import io.troupe.telemetry.TelemetrySettings;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The {@code --otel-endpoint}, {@code --otel-service} and {@code --otel-sample} options: OpenTelemetry export of a
 * run's traces and metrics, also switched on by the standard {@code OTEL_EXPORTER_OTLP_ENDPOINT} environment variable
 * (and {@code OTEL_SERVICE_NAME}, {@code OTEL_EXPORTER_OTLP_HEADERS}, {@code OTEL_TRACES_SAMPLER}, {@code
 * OTEL_TRACES_SAMPLER_ARG}, {@code OTEL_SDK_DISABLED}).
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

    @Option(
            names = "--otel-sample",
            paramLabel = "RATIO",
            description = "Trace this share of runs, from 0 to 1, each run with its child runs; metrics count every"
                    + " run (default: $OTEL_TRACES_SAMPLER and $OTEL_TRACES_SAMPLER_ARG, or 1: every run).")
    @Nullable
    Double sample;

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
            settings = settings.withEndpoint(endpoint);
        }
        if (service != null) {
            settings = settings.withServiceName(service);
        }
        if (sample != null) {
            if (!(sample >= 0 && sample <= 1)) {
                throw new ConfigurationException("--otel-sample must be the share of runs to trace, from 0 to 1"
                        + " (0.1 traces one run in ten), got " + sample);
            }
            settings = settings.withSampleRatio(sample);
        }
        if (settings.exports()) {
            OtelWarnings.install();
        }
        return settings;
    }
}
