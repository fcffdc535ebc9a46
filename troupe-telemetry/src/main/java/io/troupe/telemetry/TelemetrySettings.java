package io.troupe.telemetry;

import io.troupe.api.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where and how {@link Telemetry} exports.
 *
 * @param endpoint the OTLP/HTTP endpoint's base address ({@code http://collector:4318}); traces go to {@code
 *     /v1/traces} and metrics to {@code /v1/metrics} under it. Null exports nothing over OTLP (metrics are still
 *     kept for Prometheus)
 * @param serviceName {@code service.name} of the resource; {@code troupe} by default
 * @param headers extra headers for the OTLP requests (an API key of a hosted collector)
 * @param metricInterval how often metrics are exported over OTLP
 * @param sampleRatio the share of runs whose spans are exported, from 0 to 1: a run is traced or not as a whole, with
 *     its child runs, decided by its trace id as OpenTelemetry's {@code traceidratio} sampler decides (so every node,
 *     and every service sampling at the same ratio, decides alike); a model call of a run that is not traced carries
 *     its {@code traceparent} unsampled. Metrics count every run. A run exported on request ({@link
 *     Telemetry#export}) is exported whatever the ratio.
 */
public record TelemetrySettings(
        @Nullable URI endpoint,
        String serviceName,
        Map<String, String> headers,
        Duration metricInterval,
        double sampleRatio) {
    /** Nothing exported over OTLP; metrics for Prometheus only. */
    public static final TelemetrySettings OFF =
            new TelemetrySettings(null, "troupe", Map.of(), Duration.ofSeconds(60), 1.0);

    /** The samplers of {@code OTEL_TRACES_SAMPLER} that Troupe follows: a run is the root of its trace. */
    private static final String SAMPLERS = "always_on, always_off, traceidratio, parentbased_always_on,"
            + " parentbased_always_off or parentbased_traceidratio";

    public TelemetrySettings {
        if (serviceName == null || serviceName.isBlank()) {
            throw new ConfigurationException("telemetry service name must not be blank; set OTEL_SERVICE_NAME or"
                    + " leave it unset for 'troupe'");
        }
        headers = Map.copyOf(headers);
        if (metricInterval.isNegative() || metricInterval.isZero()) {
            throw new ConfigurationException("telemetry metric interval must be positive, got " + metricInterval);
        }
        if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
            throw new ConfigurationException("the share of runs to trace must be from 0 to 1 (0.1 traces one run in"
                    + " ten), got " + sampleRatio);
        }
    }

    /** Exports to the OTLP/HTTP endpoint at {@code endpoint}, such as {@code http://localhost:4318}. */
    public static TelemetrySettings otlp(String endpoint) {
        return new TelemetrySettings(
                endpoint(endpoint, "the OTLP endpoint"), "troupe", Map.of(), Duration.ofSeconds(60), 1.0);
    }

    /** These settings exporting to the OTLP/HTTP endpoint at {@code address}. */
    public TelemetrySettings withEndpoint(String address) {
        return new TelemetrySettings(
                endpoint(address, "the OTLP endpoint"), serviceName, headers, metricInterval, sampleRatio);
    }

    /** These settings with {@code service.name} set. */
    public TelemetrySettings withServiceName(String name) {
        return new TelemetrySettings(endpoint, name, headers, metricInterval, sampleRatio);
    }

    /** These settings with metrics exported every {@code interval}. */
    public TelemetrySettings withMetricInterval(Duration interval) {
        return new TelemetrySettings(endpoint, serviceName, headers, interval, sampleRatio);
    }

    /** These settings tracing {@code ratio} of the runs (see {@link #sampleRatio()}). */
    public TelemetrySettings withSampleRatio(double ratio) {
        return new TelemetrySettings(endpoint, serviceName, headers, metricInterval, ratio);
    }

    /** Whether anything is exported over OTLP. */
    public boolean exports() {
        return endpoint != null;
    }

    /**
     * The settings the OpenTelemetry environment variables give: {@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code
     * OTEL_SERVICE_NAME}, {@code OTEL_EXPORTER_OTLP_HEADERS} ({@code key=value,key2=value2}), {@code
     * OTEL_METRIC_EXPORT_INTERVAL} (milliseconds), and {@code OTEL_TRACES_SAMPLER} with {@code
     * OTEL_TRACES_SAMPLER_ARG} (the ratio of {@code traceidratio}, 1 when unset); {@code OTEL_SDK_DISABLED=true}
     * turns export off.
     *
     * @throws ConfigurationException naming the variable that holds a bad value
     */
    public static TelemetrySettings fromEnvironment(Function<String, @Nullable String> env) {
        if ("true".equalsIgnoreCase(trim(env.apply("OTEL_SDK_DISABLED")))) {
            return OFF;
        }
        String endpoint = trim(env.apply("OTEL_EXPORTER_OTLP_ENDPOINT"));
        String service = trim(env.apply("OTEL_SERVICE_NAME"));
        String headers = trim(env.apply("OTEL_EXPORTER_OTLP_HEADERS"));
        String interval = trim(env.apply("OTEL_METRIC_EXPORT_INTERVAL"));
        Map<String, String> parsed = new LinkedHashMap<>();
        if (headers != null) {
            for (String pair : headers.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigurationException("OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs separated by"
                            + " commas, got '" + pair.strip() + "'");
                }
                parsed.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
        }
        Duration every = Duration.ofSeconds(60);
        if (interval != null) {
            try {
                every = Duration.ofMillis(Long.parseLong(interval));
            } catch (NumberFormatException e) {
                throw new ConfigurationException(
                        "OTEL_METRIC_EXPORT_INTERVAL must be a number of milliseconds, got '" + interval + "'");
            }
        }
        return new TelemetrySettings(
                endpoint == null ? null : endpoint(endpoint, "OTEL_EXPORTER_OTLP_ENDPOINT"),
                service == null ? "troupe" : service,
                parsed,
                every,
                sampleRatio(trim(env.apply("OTEL_TRACES_SAMPLER")), trim(env.apply("OTEL_TRACES_SAMPLER_ARG"))));
    }

    /** The share of runs to trace that {@code OTEL_TRACES_SAMPLER} and {@code OTEL_TRACES_SAMPLER_ARG} ask for. */
    private static double sampleRatio(@Nullable String sampler, @Nullable String argument) {
        if (sampler == null) {
            return 1.0;
        }
        return switch (sampler.toLowerCase(java.util.Locale.ROOT)) {
            case "always_on", "parentbased_always_on" -> 1.0;
            case "always_off", "parentbased_always_off" -> 0.0;
            case "traceidratio", "parentbased_traceidratio" -> {
                if (argument == null) {
                    yield 1.0;
                }
                try {
                    double ratio = Double.parseDouble(argument);
                    if (ratio >= 0 && ratio <= 1) {
                        yield ratio;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw new ConfigurationException("OTEL_TRACES_SAMPLER_ARG must be the share of runs to trace, from 0"
                        + " to 1 (0.1 traces one run in ten), got '" + argument + "'");
            }
            default ->
                throw new ConfigurationException("OTEL_TRACES_SAMPLER '" + sampler + "' is not one Troupe"
                        + " follows: use " + SAMPLERS + " (a run is the root of its trace, so the parentbased_ forms"
                        + " decide as the others do)");
        };
    }

    private static @Nullable String trim(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    static URI endpoint(String text, String what) {
        try {
            URI uri = new URI(text.strip());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigurationException(what + " must be an http or https address such as"
                        + " http://localhost:4318, got '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigurationException(what + " is not an address (" + e.getReason() + "): '" + text
                    + "'; use one such as" + " http://localhost:4318");
        }
    }
}
