package io.troupe.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.troupe.api.ConfigurationException;
import io.troupe.api.model.CallOrigin;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import io.troupe.api.model.Usage;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.Transcript;
import io.troupe.testkit.RecordedRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sampling traces a share of runs, each as a whole with its child runs, decided by the trace id; metrics count every
 * run; a model call of a run that is not traced says so in its trace context; the ratio comes from the settings or
 * OpenTelemetry's standard variables, and a bad one is refused naming where it came from.
 */
class SamplingTest {
    /** One real nested run's events as a follower receives them: the root's, with its child's in between. */
    private static List<RunEvent> delivered;

    @BeforeAll
    static void runOnce() throws Exception {
        delivered = NestedRun.get().delivered();
    }

    @Test
    void aShareOfRunsIsTraced_eachWithAllItsSpans_andMetricsCountEveryRun() throws Exception {
        int runs = 200;
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        Set<String> sampledTraces = new HashSet<>();
        List<SpanData> exported;
        try (Telemetry telemetry =
                Telemetry.create(TelemetrySettings.OFF.withSampleRatio(0.5), spans, InMemoryMetricExporter.create())) {
            for (int i = 0; i < runs; i++) {
                String id = "run-" + i;
                telemetry.follow(new RecordedRun(id, delivered)).get(10, TimeUnit.SECONDS);
                if (Telemetry.sampler(0.5).test(TraceIds.traceId(id))) {
                    sampledTraces.add(TraceIds.traceId(id));
                }
            }
            telemetry.flush(Duration.ofSeconds(10));
            exported = spans.getFinishedSpanItems(); // closing the exporter empties it

            assertThat(telemetry.scrape())
                    .contains("troupe_runs_total{outcome=\"completed\",team=\"newsroom\"} " + runs + ".0")
                    .contains("troupe_steps_total{agent=\"searcher\",kind=\"model\"} " + runs + ".0");
        }
        assertThat(sampledTraces.size()).as("about half of %d runs", runs).isBetween(70, 130);
        Map<String, List<SpanData>> byTrace = exported.stream().collect(Collectors.groupingBy(SpanData::getTraceId));
        assertThat(byTrace.keySet()).isEqualTo(sampledTraces);
        int perRun = byTrace.values().iterator().next().size();
        assertThat(byTrace.values()).allSatisfy(trace -> {
            assertThat(trace).hasSize(perRun);
            assertThat(trace)
                    .extracting(SpanData::getName)
                    .contains("invoke_agent newsroom", "invoke_agent research", "invoke_agent searcher", "chat m");
        });
    }

    @Test
    void noRunIsTracedAtZero_everyRunAtOne_andAnExportOnRequestIgnoresTheRatio() throws Exception {
        InMemorySpanExporter none = InMemorySpanExporter.create();
        try (Telemetry telemetry =
                Telemetry.create(TelemetrySettings.OFF.withSampleRatio(0), none, InMemoryMetricExporter.create())) {
            for (int i = 0; i < 20; i++) {
                telemetry.follow(new RecordedRun("off-" + i, delivered)).get(10, TimeUnit.SECONDS);
            }
            telemetry.flush(Duration.ofSeconds(10));
            assertThat(none.getFinishedSpanItems()).isEmpty();
            assertThat(telemetry.scrape()).contains("troupe_runs_total{outcome=\"completed\",team=\"newsroom\"} 20.0");

            List<JournalEvent> rootEvents = delivered.stream()
                    .filter(JournalEvent.class::isInstance)
                    .map(JournalEvent.class::cast)
                    .toList();
            telemetry.export(new Transcript("asked-for", rootEvents, List.of()), List.of());
            telemetry.flush(Duration.ofSeconds(10));
            assertThat(none.getFinishedSpanItems())
                    .extracting(SpanData::getName)
                    .contains("invoke_agent newsroom");
        }

        InMemorySpanExporter all = InMemorySpanExporter.create();
        try (Telemetry telemetry = Telemetry.create(TelemetrySettings.OFF, all, InMemoryMetricExporter.create())) {
            for (int i = 0; i < 20; i++) {
                telemetry.follow(new RecordedRun("on-" + i, delivered)).get(10, TimeUnit.SECONDS);
            }
            telemetry.flush(Duration.ofSeconds(10));
            assertThat(all.getFinishedSpanItems().stream()
                            .map(SpanData::getTraceId)
                            .distinct())
                    .hasSize(20);
        }
    }

    @Test
    void aModelCallOfARunThatIsNotTraced_carriesAnUnsampledContext() {
        List<Boolean> seen = new ArrayList<>();
        LanguageModel probe = new LanguageModel() {
            @Override
            public CompletionStage<ModelResponse> generate(ModelRequest request, TokenSink tokens) {
                seen.add(Span.current().getSpanContext().isSampled());
                return CompletableFuture.completedFuture(ModelResponse.text("ok", Usage.of(1, 1)));
            }
        };
        String traced = null;
        String untraced = null;
        for (int i = 0; traced == null || untraced == null; i++) {
            String id = "call-" + i;
            if (Telemetry.sampler(0.5).test(TraceIds.traceId(id))) {
                traced = id;
            } else {
                untraced = id;
            }
        }
        try (Telemetry telemetry = Telemetry.create(TelemetrySettings.OFF.withSampleRatio(0.5))) {
            LanguageModel model = telemetry.traced(probe);
            new CallOrigin(traced, null, 3, "writer")
                    .run(() -> model.generate(ModelRequest.of(List.of(new ChatMessage.User("hi"))), TokenSink.NONE));
            new CallOrigin(untraced, null, 3, "writer")
                    .run(() -> model.generate(ModelRequest.of(List.of(new ChatMessage.User("hi"))), TokenSink.NONE));
        }
        assertThat(seen).containsExactly(true, false);
    }

    @Test
    void theRatioComesFromOpenTelemetrysVariables_andABadOneIsRefusedNamingIt() {
        assertThat(ratio(Map.of())).isEqualTo(1.0);
        assertThat(ratio(Map.of("OTEL_TRACES_SAMPLER", "always_off"))).isEqualTo(0.0);
        assertThat(ratio(Map.of("OTEL_TRACES_SAMPLER", "parentbased_always_on")))
                .isEqualTo(1.0);
        assertThat(ratio(Map.of("OTEL_TRACES_SAMPLER", "traceidratio"))).isEqualTo(1.0);
        assertThat(ratio(Map.of("OTEL_TRACES_SAMPLER", "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG", "0.25")))
                .isEqualTo(0.25);
        assertThat(ratio(Map.of("OTEL_TRACES_SAMPLER", "always_on", "OTEL_TRACES_SAMPLER_ARG", "0.25")))
                .as("the argument belongs to the ratio samplers")
                .isEqualTo(1.0);

        assertThatThrownBy(() -> ratio(Map.of("OTEL_TRACES_SAMPLER", "traceidratio", "OTEL_TRACES_SAMPLER_ARG", "ten")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("OTEL_TRACES_SAMPLER_ARG")
                .hasMessageContaining("'ten'");
        assertThatThrownBy(() -> ratio(Map.of("OTEL_TRACES_SAMPLER", "traceidratio", "OTEL_TRACES_SAMPLER_ARG", "1.5")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("from 0 to 1");
        assertThatThrownBy(() -> ratio(Map.of("OTEL_TRACES_SAMPLER", "xray")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("OTEL_TRACES_SAMPLER 'xray'")
                .hasMessageContaining("traceidratio");
        assertThatThrownBy(() -> TelemetrySettings.OFF.withSampleRatio(-0.1))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("from 0 to 1");
        assertThatThrownBy(() -> TelemetrySettings.OFF.withSampleRatio(Double.NaN))
                .isInstanceOf(ConfigurationException.class);
    }

    private static double ratio(Map<String, String> env) {
        return TelemetrySettings.fromEnvironment(env::get).sampleRatio();
    }
}
