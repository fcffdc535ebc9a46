package io.troupe.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Traces and metrics of runs, derived from their journal events. {@link #follow} subscribes to a live run; {@link
 * #export} exports a run read back from the journal, with the same trace and span ids. Spans follow the GenAI
 * semantic conventions ({@link GenAi#CONVENTIONS}) and go to an OTLP/HTTP endpoint with the {@code
 * gen_ai.client.*} metrics; Troupe's own meters are in {@link #registry()}, scraped as Prometheus text by {@link
 * #scrape()}. Wrap models with {@link #traced} so that their HTTP calls carry the run's W3C {@code traceparent}.
 *
 * <pre>{@code
 * try (Telemetry telemetry = Telemetry.create(TelemetrySettings.fromEnvironment(System::getenv))) {
 *     RunHandle run = troupe.run(team, task);
 *     telemetry.follow(run);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Close it to flush what is still buffered.
 */
public final class Telemetry implements AutoCloseable {
    private final TelemetrySettings settings;
    private final @Nullable SdkTracerProvider tracing;
    private final @Nullable SdkMeterProvider metering;
    private final Tracer tracer;
    /** Whether a run whose trace has this id is traced: {@link TelemetrySettings#sampleRatio()}. */
    private final Predicate<String> sampled;

    private final FixedIds ids;
    private final RunMetrics metrics;
    private final PrometheusMeterRegistry prometheus;
    private final Clock clock;
    private volatile Function<String, String> providers = model -> "troupe";
    /** The most values a meter's team, agent, model or tool label takes. */
    static final int MAX_TAG_VALUES = 1000;
    /** Span exports that failed (a receiver down, refusing, or too slow): the SDK only logs them. */
    private final java.util.concurrent.atomic.AtomicLong failedSpanExports =
            new java.util.concurrent.atomic.AtomicLong();

    private Telemetry(
            TelemetrySettings settings,
            @Nullable SpanExporter spans,
            @Nullable MetricExporter metricsOut,
            Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.ids = new FixedIds();
        this.sampled = sampler(settings.sampleRatio());
        Resource resource = Resource.getDefault()
                .merge(Resource.create(Attributes.builder()
                        .put("service.name", settings.serviceName())
                        .put("service.namespace", "troupe")
                        .build()));
        if (spans != null) {
            this.tracing = SdkTracerProvider.builder()
                    .setResource(resource)
                    .setIdGenerator(ids)
                    .addSpanProcessor(BatchSpanProcessor.builder(new Counted(spans, failedSpanExports))
                            .setScheduleDelay(Duration.ofMillis(500))
                            .setMaxQueueSize(16384)
                            .setMaxExportBatchSize(4096)
                            .build())
                    .build();
            this.tracer = tracing.tracerBuilder("io.troupe")
                    .setSchemaUrl(GenAi.SCHEMA_URL)
                    .build();
        } else {
            this.tracing = null;
            this.tracer = OpenTelemetry.noop().getTracer("io.troupe");
        }
        Meter meter;
        if (metricsOut != null) {
            this.metering = SdkMeterProvider.builder()
                    .setResource(resource)
                    .registerMetricReader(PeriodicMetricReader.builder(metricsOut)
                            .setInterval(settings.metricInterval())
                            .build())
                    .build();
            meter = metering.meterBuilder("io.troupe")
                    .setSchemaUrl(GenAi.SCHEMA_URL)
                    .build();
        } else {
            this.metering = null;
            meter = OpenTelemetry.noop().getMeter("io.troupe");
        }
        this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Team, agent and model names come from specs, inline ones from API clients: past a bound, series with new
        // names are not recorded, so that /metrics cannot grow without end.
        for (String tag : List.of("team", "agent", "model", "tool")) {
            prometheus
                    .config()
                    .meterFilter(io.micrometer.core.instrument.config.MeterFilter.maximumAllowableTags(
                            "troupe", tag, MAX_TAG_VALUES, io.micrometer.core.instrument.config.MeterFilter.deny()));
        }
        this.metrics = new RunMetrics(meter, prometheus);
    }

    /** Telemetry exporting as {@code settings} say: over OTLP/HTTP when an endpoint is set, always to {@link #registry()}. */
    public static Telemetry create(TelemetrySettings settings) {
        URI endpoint = settings.endpoint();
        if (endpoint == null) {
            return new Telemetry(settings, null, null, Clock.systemUTC());
        }
        String base = endpoint.toString().replaceAll("/+$", "");
        OtlpHttpSpanExporterBuilder spans = OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces");
        OtlpHttpMetricExporterBuilder metrics = OtlpHttpMetricExporter.builder().setEndpoint(base + "/v1/metrics");
        settings.headers().forEach((name, value) -> {
            spans.addHeader(name, value);
            metrics.addHeader(name, value);
        });
        return new Telemetry(settings, spans.build(), metrics.build(), Clock.systemUTC());
    }

    /** Telemetry exporting to {@code spans} and {@code metrics} (for tests and custom exporters). */
    public static Telemetry create(TelemetrySettings settings, SpanExporter spans, MetricExporter metrics) {
        return new Telemetry(settings, spans, metrics, Clock.systemUTC());
    }

    /** The settings. */
    public TelemetrySettings settings() {
        return settings;
    }

    /** Names each model's provider ({@code gen_ai.provider.name}), by the name runs use; {@code troupe} otherwise. */
    public Telemetry providers(Map<String, String> byModel) {
        Map<String, String> copy = Map.copyOf(byModel);
        this.providers = model -> copy.getOrDefault(model, "troupe");
        return this;
    }

    /** {@code model} with its calls inside their {@code chat} span's trace context, so that they carry traceparent. */
    public LanguageModel traced(LanguageModel model) {
        return model instanceof TracedModel ? model : new TracedModel(model, sampled);
    }

    /**
     * Whether a trace is sampled at {@code ratio}, by its id as OpenTelemetry's {@code traceidratio} sampler decides
     * (so that services sampling at the same ratio decide alike).
     */
    static Predicate<String> sampler(double ratio) {
        if (ratio >= 1) {
            return traceId -> true;
        }
        if (ratio <= 0) {
            return traceId -> false;
        }
        Sampler sampler = Sampler.traceIdRatioBased(ratio);
        return traceId -> sampler.shouldSample(
                                Context.root(),
                                traceId,
                                GenAi.INVOKE_AGENT,
                                io.opentelemetry.api.trace.SpanKind.INTERNAL,
                                Attributes.empty(),
                                List.of())
                        .getDecision()
                == SamplingDecision.RECORD_AND_SAMPLE;
    }

    /** Troupe's meters: runs, steps, tokens, cost, latencies, verdicts, runs in flight. */
    public MeterRegistry registry() {
        return prometheus;
    }

    /** The meters as Prometheus text exposition, for a {@code /metrics} endpoint. */
    public String scrape() {
        return prometheus.scrape();
    }

    /**
     * Follows {@code run} from its first event: spans as its events come, metrics as they end.
     *
     * @return completes when the run has ended and its spans are handed to the exporter
     */
    public CompletableFuture<Void> follow(RunHandle run) {
        return follow(run, (Instant) null);
    }

    /**
     * Follows {@code run}, recording in {@code journalWrite} the time from its submission to its start being
     * journaled, when known.
     */
    public CompletableFuture<Void> follow(RunHandle run, @Nullable Instant submitted) {
        if (submitted != null) {
            run.started().thenAccept(at -> metrics.journalWrite(Duration.between(submitted, clock.instant())));
        }
        return subscribe(run, Map.of());
    }

    /**
     * Follows a run that was resumed after the process that ran it stopped (a crash, a restart). Its events are
     * delivered again from the first, so {@code history} says which of them happened before: the run's transcript
     * and its child runs', read from the journal before the run resumed. Those events become spans with the times
     * the journal recorded ({@code troupe.timing=journaled}; the previous process may not have exported them) and are
     * not counted in the metrics again, since the process that ran them counted them. What follows is followed as
     * {@link #follow(RunHandle)} does.
     *
     * @return completes when the run has ended and its spans are handed to the exporter
     */
    public CompletableFuture<Void> resume(RunHandle run, List<Transcript> history) {
        Map<String, RunFollower.Past> byRun = new HashMap<>();
        for (Transcript transcript : history) {
            byRun.put(
                    transcript.conversationId(),
                    transcript.timed()
                            ? new RunFollower.Past(transcript.times(), "journaled")
                            : new RunFollower.Past(Timeline.of(transcript.events()), "reconstructed"));
        }
        return subscribe(run, byRun);
    }

    private CompletableFuture<Void> subscribe(RunHandle run, Map<String, RunFollower.Past> history) {
        String root = run.conversationId();
        // The spans of this run and its child runs, if it is traced: spans are exported and its trace is sampled.
        Function<String, String> named = providers;
        RunFollower.SpansFactory traced = tracing != null && sampled.test(TraceIds.traceId(root))
                ? (id, parent) -> new RunSpans(tracer, ids, named, id, root, parent)
                : null;
        RunFollower follower = new RunFollower(root, history, traced, named, metrics, clock);
        metrics.started();
        run.journalEvents().subscribe(follower); // not events(): that would make every model call stream
        return follower.done();
    }

    /**
     * The transcripts of {@code run}'s child runs (members that are teams) and of their children, read from {@code
     * troupe}'s journal, waiting up to {@code timeout} for each: what {@link #export} and {@link #resume} need beside
     * the run's own.
     */
    public static List<Transcript> childRuns(Troupe troupe, Transcript run, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<Transcript> children = new ArrayList<>();
        ArrayDeque<Transcript> todo = new ArrayDeque<>(List.of(run));
        while (!todo.isEmpty()) {
            for (JournalEvent event : todo.poll().events()) {
                if (event instanceof JournalEvent.SubRunRequested child) {
                    Transcript read = troupe.replay(child.childConversationId())
                            .toCompletableFuture()
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    children.add(read);
                    todo.add(read);
                }
            }
        }
        return children;
    }

    /**
     * Exports a run read back from the journal: the same spans, with the time the journal recorded for each event,
     * marked {@code troupe.timing=journaled}. A journal written before times were recorded has the times its events
     * carry (the start, the end, deadlines, approvals) and the others spread evenly between them, marked {@code
     * troupe.timing=reconstructed}.
     * Metrics are not recorded again. Child runs are exported by passing their transcripts in {@code children}.
     */
    public void export(Transcript transcript, List<Transcript> children) {
        export(transcript, children, null);
    }

    private void export(Transcript transcript, List<Transcript> children, @Nullable Span parent) {
        List<JournalEvent> events = transcript.events();
        if (events.isEmpty()) {
            return;
        }
        String parentId = events.getFirst() instanceof JournalEvent.RunStarted s ? s.parentConversationId() : null;
        RunSpans spans = new RunSpans(
                tracer,
                ids,
                providers,
                transcript.conversationId(),
                TraceIds.root(transcript.conversationId(), parentId),
                parent);
        List<Instant> times = transcript.timed() ? transcript.times() : Timeline.of(events);
        String timing = transcript.timed() ? "journaled" : "reconstructed";
        for (int i = 0; i < events.size(); i++) {
            JournalEvent event = events.get(i);
            if (event instanceof JournalEvent.SubRunCompleted completed) {
                String childId = transcript.conversationId() + "." + completed.step();
                for (Transcript child : children) {
                    if (child.conversationId().equals(childId)) {
                        export(child, children, spans.step(completed.step()));
                    }
                }
            }
            spans.accept(event, times.get(i), timing);
        }
    }

    /**
     * Hands every finished span and metric to the exporters and waits up to {@code timeout}; returns whether every
     * span export so far has succeeded (false when a receiver was down, refused them or did not answer in time).
     */
    public boolean flush(Duration timeout) {
        boolean exported = true;
        if (tracing != null) {
            exported = tracing.forceFlush()
                    .join(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .isSuccess();
        }
        if (metering != null) {
            metering.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        return exported && failedSpanExports.get() == 0;
    }

    /** A span exporter that counts the exports that fail. */
    private record Counted(SpanExporter delegate, java.util.concurrent.atomic.AtomicLong failures)
            implements SpanExporter {
        @Override
        public io.opentelemetry.sdk.common.CompletableResultCode export(
                java.util.Collection<io.opentelemetry.sdk.trace.data.SpanData> spans) {
            io.opentelemetry.sdk.common.CompletableResultCode result = delegate.export(spans);
            result.whenComplete(() -> {
                if (!result.isSuccess()) {
                    failures.incrementAndGet();
                }
            });
            return result;
        }

        @Override
        public io.opentelemetry.sdk.common.CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public io.opentelemetry.sdk.common.CompletableResultCode shutdown() {
            return delegate.shutdown();
        }
    }

    @Override
    public void close() {
        flush(Duration.ofSeconds(10));
        if (tracing != null) {
            tracing.shutdown().join(10, TimeUnit.SECONDS);
        }
        if (metering != null) {
            metering.shutdown().join(10, TimeUnit.SECONDS);
        }
        prometheus.close();
    }
}
