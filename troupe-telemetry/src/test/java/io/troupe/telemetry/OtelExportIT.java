package io.troupe.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.metrics.v1.Metric;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.models.langchain4j.ApiKey;
import io.troupe.models.langchain4j.OpenAiCompatible;
import io.troupe.runtime.Journal;
import io.troupe.runtime.TroupeRuntime;
import io.troupe.testkit.FreePorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Spans and metrics of real runs reach a real OTLP/HTTP receiver on loopback, decoded from protobuf, with the GenAI
 * conventions' names; the model's HTTP calls (the LangChain4j adapter, to an OpenAI-compatible server on loopback)
 * carry the W3C traceparent of their chat span; and on a two-node cluster the calls made on either node join the
 * trace the following node exports.
 */
class OtelExportIT {
    private static final TeamSpec PAIR = TeamSpec.builder("pair")
            .members(AgentSpec.of("first", "gpt", "You go first."), AgentSpec.of("second", "gpt", "You go next."))
            .build();

    @Test
    void spansAndMetrics_reachTheReceiver_withGenAiNames_andCallsCarryTraceparent() throws Exception {
        try (Loopback loopback = new Loopback();
                Telemetry telemetry = Telemetry.create(TelemetrySettings.otlp(loopback.otlpEndpoint())
                                .withServiceName("troupe-it")
                                .withMetricInterval(Duration.ofMillis(500)))
                        .providers(Map.of("gpt", "openai"));
                Troupe troupe = TroupeRuntime.builder()
                        .journal(Journal.inMemory())
                        .model("gpt", telemetry.traced(model(loopback)))
                        .start()) {
            RunHandle run = troupe.submit(PAIR, "Write a haiku", Map.of());
            CompletableFuture<Void> followed = telemetry.follow(run);
            assertThat(run.outcome().toCompletableFuture().join()).isInstanceOf(Outcome.Completed.class);
            followed.join();
            telemetry.flush(Duration.ofSeconds(10));

            String traceId = TraceIds.traceId(run.conversationId());
            await().atMost(Duration.ofSeconds(20)).until(() -> loopback.spans().size() >= 5);
            List<Loopback.Received> spans = loopback.spans();
            assertThat(spans)
                    .extracting(r -> r.span().getName())
                    .containsExactlyInAnyOrder(
                            "invoke_agent pair", "invoke_agent first", "invoke_agent second", "chat gpt", "chat gpt");
            assertThat(spans).allSatisfy(r -> {
                assertThat(r.traceId()).isEqualTo(traceId);
                assertThat(r.service()).isEqualTo("troupe-it");
                assertThat(r.attributes()).containsEntry("gen_ai.conversation.id", run.conversationId());
            });
            Loopback.Received root = spans.stream()
                    .filter(r -> r.span().getName().equals("invoke_agent pair"))
                    .findFirst()
                    .orElseThrow();
            assertThat(root.span().getParentSpanId().isEmpty()).isTrue();
            assertThat(root.attributes())
                    .containsEntry("gen_ai.operation.name", "invoke_agent")
                    .containsEntry("gen_ai.agent.name", "pair")
                    .containsEntry("troupe.outcome", "completed")
                    .containsEntry("troupe.timing", "observed");
            List<Loopback.Received> chats = spans.stream()
                    .filter(r -> r.span().getName().equals("chat gpt"))
                    .toList();
            Set<String> turnIds = spans.stream()
                    .filter(r -> r.span().getName().startsWith("invoke_agent ") && r != root)
                    .map(Loopback.Received::spanId)
                    .collect(Collectors.toSet());
            assertThat(chats).allSatisfy(chat -> {
                assertThat(chat.span().getKind())
                        .isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT);
                assertThat(chat.attributes())
                        .containsEntry("gen_ai.operation.name", "chat")
                        .containsEntry("gen_ai.provider.name", "openai")
                        .containsEntry("gen_ai.request.model", "gpt")
                        .containsEntry("gen_ai.usage.input_tokens", "12")
                        .containsEntry("gen_ai.usage.output_tokens", "3")
                        .containsEntry("gen_ai.response.finish_reasons", "[stop]")
                        .containsKey("gen_ai.request.max_tokens");
                assertThat(turnIds).contains(chat.parentId());
                assertThat(chat.span().getEventsList())
                        .extracting(e -> e.getName())
                        .containsExactly("troupe.budget.charge");
                assertThat(Loopback.attributes(chat.span().getEvents(0).getAttributesList()))
                        .containsEntry("troupe.budget.tokens", "15")
                        .containsKey("troupe.budget.tokens_left");
            });
            // Each HTTP call carried its chat span's context: the same trace, the chat span as parent.
            assertThat(loopback.traceparents())
                    .containsExactlyInAnyOrderElementsOf(chats.stream()
                            .map(c -> "00-" + traceId + "-" + c.spanId() + "-01")
                            .toList());

            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(names(loopback.metrics()))
                            .contains("gen_ai.client.token.usage", "gen_ai.client.operation.duration"));
            Metric tokens = loopback.metrics().stream()
                    .filter(m -> m.getName().equals("gen_ai.client.token.usage"))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            assertThat(tokens.getUnit()).isEqualTo("{token}");
            assertThat(tokens.getHistogram().getDataPointsList())
                    .extracting(p -> Loopback.attributes(p.getAttributesList()).get("gen_ai.token.type"))
                    .containsExactlyInAnyOrder("input", "output");
            assertThat(tokens.getHistogram().getDataPointsList())
                    .allSatisfy(p -> assertThat(Loopback.attributes(p.getAttributesList()))
                            .containsEntry("gen_ai.operation.name", "chat")
                            .containsEntry("gen_ai.provider.name", "openai")
                            .containsEntry("gen_ai.request.model", "gpt"));
            Metric duration = loopback.metrics().stream()
                    .filter(m -> m.getName().equals("gen_ai.client.operation.duration"))
                    .findFirst()
                    .orElseThrow();
            assertThat(duration.getUnit()).isEqualTo("s");
            // The Prometheus side holds Troupe's own meters.
            assertThat(telemetry.scrape())
                    .contains("troupe_runs_total{outcome=\"completed\",team=\"pair\"} 1.0")
                    .contains("troupe_tokens_total{agent=\"first\",model=\"gpt\",type=\"input\"} 12.0")
                    .contains("troupe_steps_total{agent=\"second\",kind=\"model\"} 1.0")
                    .contains("troupe_model_latency_seconds_count{model=\"gpt\",outcome=\"ok\"} 2");
        }
    }

    @Test
    void replayedRun_exportsWithTheTimesTheJournalRecorded() throws Exception {
        try (Loopback loopback = new Loopback();
                Telemetry telemetry = Telemetry.create(
                        TelemetrySettings.otlp(loopback.otlpEndpoint()).withServiceName("troupe-replay"));
                Troupe troupe = TroupeRuntime.builder()
                        .journal(Journal.inMemory())
                        .model("gpt", model(loopback))
                        .start()) {
            RunHandle run = troupe.submit(PAIR, "Write a haiku", Map.of());
            assertThat(run.outcome().toCompletableFuture().join()).isInstanceOf(Outcome.Completed.class);
            Transcript transcript =
                    troupe.replay(run.conversationId()).toCompletableFuture().join();
            assertThat(transcript.timed()).isTrue();

            telemetry.export(transcript, List.of());
            telemetry.flush(Duration.ofSeconds(10));

            await().atMost(Duration.ofSeconds(20)).until(() -> loopback.spans().size() >= 5);
            List<Loopback.Received> spans = loopback.spans();
            Loopback.Received root = spans.stream()
                    .filter(r -> r.span().getName().equals("invoke_agent pair"))
                    .findFirst()
                    .orElseThrow();
            assertThat(root.attributes()).containsEntry("troupe.timing", "journaled");
            // The run span has the times its first and last events carry, which the journal's times follow.
            JournalEvent.RunStarted started =
                    (JournalEvent.RunStarted) transcript.events().getFirst();
            JournalEvent.RunFinished finished =
                    (JournalEvent.RunFinished) transcript.events().getLast();
            assertThat(nanos(root.span().getStartTimeUnixNano())).isEqualTo(started.startedAt());
            assertThat(nanos(root.span().getEndTimeUnixNano())).isEqualTo(finished.finishedAt());
            assertThat(transcript.times().getFirst()).isAfterOrEqualTo(started.startedAt());
            assertThat(transcript.times().getLast()).isAfterOrEqualTo(finished.finishedAt());
            // Each chat span runs from its request's journal time to its answer's, to the nanosecond.
            List<JournalEvent> events = transcript.events();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i) instanceof JournalEvent.LlmRequested requested) {
                    int answered = i + 1;
                    while (!(events.get(answered) instanceof JournalEvent.LlmCompleted c
                            && c.step() == requested.step())) {
                        answered++;
                    }
                    expected.add(transcript.times().get(i) + " → "
                            + transcript.times().get(answered));
                }
            }
            assertThat(spans.stream()
                            .filter(r -> r.span().getName().equals("chat gpt"))
                            .map(r -> nanos(r.span().getStartTimeUnixNano()) + " → "
                                    + nanos(r.span().getEndTimeUnixNano())))
                    .containsExactlyInAnyOrderElementsOf(expected)
                    .hasSize(2);
        }
    }

    private static java.time.Instant nanos(long unixNanos) {
        return java.time.Instant.ofEpochSecond(0, unixNanos);
    }

    @Test
    void twoNodes_modelCallsOnEitherNodeJoinTheirRunsTraceTheFollowerExports() throws Exception {
        int[] ports = FreePorts.loopback(2);
        int portA = ports[0];
        int portB = ports[1];
        String seeds = "pekko.cluster.seed-nodes = [\"pekko://troupe@127.0.0.1:" + portA + "\"]\n";
        AtomicInteger callsOnA = new AtomicInteger();
        AtomicInteger callsOnB = new AtomicInteger();
        try (Loopback loopback = new Loopback();
                Telemetry telemetryA = Telemetry.create(
                        TelemetrySettings.otlp(loopback.otlpEndpoint()).withServiceName("node-a"));
                Telemetry telemetryB = Telemetry.create(
                        TelemetrySettings.otlp(loopback.otlpEndpoint()).withServiceName("node-b"));
                Troupe nodeA = node(portA, seeds, telemetryA.traced(counting(model(loopback), callsOnA)));
                Troupe nodeB = node(portB, seeds, telemetryB.traced(counting(model(loopback), callsOnB)))) {
            List<RunHandle> runs = new ArrayList<>();
            List<CompletableFuture<Void>> followed = new ArrayList<>();
            // Rounds of 8 runs until some are placed on B: B's shard region registers with the coordinator a moment
            // after B joins, and until then every new conversation lands on A.
            await("runs placed on B too")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        for (int i = 0; i < 8; i++) {
                            // One task for all: equal requests from different runs must still carry their own run's
                            // context.
                            RunHandle run = nodeA.submit(PAIR, "the same task", Map.of());
                            followed.add(telemetryA.follow(run));
                            runs.add(run);
                        }
                        for (RunHandle run : runs) {
                            assertThat(run.outcome().toCompletableFuture().join())
                                    .isInstanceOf(Outcome.Completed.class);
                        }
                        return callsOnB.get() > 0;
                    });
            int calls = 2 * runs.size();
            followed.forEach(CompletableFuture::join);
            telemetryA.flush(Duration.ofSeconds(10));
            telemetryB.flush(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(20)).until(() -> loopback.spans().size() >= runs.size() * 5);

            assertThat(callsOnA.get() + callsOnB.get()).isEqualTo(calls);
            assertThat(callsOnA.get()).isPositive();
            assertThat(callsOnB.get()).isPositive();
            List<Loopback.Received> spans = loopback.spans();
            // Spans come from the follower only, one trace per run.
            assertThat(spans).extracting(Loopback.Received::service).containsOnly("node-a");
            Set<String> traces =
                    runs.stream().map(r -> TraceIds.traceId(r.conversationId())).collect(Collectors.toSet());
            assertThat(spans).extracting(Loopback.Received::traceId).containsOnlyElementsOf(traces);
            // Every HTTP call, from either node, is a child of an exported chat span of its run's trace.
            Set<String> chatParents = spans.stream()
                    .filter(r -> r.span().getName().equals("chat gpt"))
                    .map(r -> "00-" + r.traceId() + "-" + r.spanId() + "-01")
                    .collect(Collectors.toSet());
            assertThat(chatParents).hasSize(calls);
            assertThat(loopback.traceparents()).hasSize(calls).containsExactlyInAnyOrderElementsOf(chatParents);
        }
    }

    private static LanguageModel model(Loopback loopback) {
        return OpenAiCompatible.builder()
                .baseUrl(loopback.llmBaseUrl())
                .model("gpt")
                .apiKey(ApiKey.fromConfiguration("sk-loopback", "test"))
                .build();
    }

    private static LanguageModel counting(LanguageModel model, AtomicInteger calls) {
        return new LanguageModel() {
            @Override
            public java.util.concurrent.CompletionStage<io.troupe.api.model.ModelResponse> generate(
                    io.troupe.api.model.ModelRequest request, io.troupe.api.model.TokenSink tokens) {
                calls.incrementAndGet();
                return model.generate(request, tokens);
            }

            @Override
            public boolean isRemote() {
                return true;
            }
        };
    }

    private static Troupe node(int port, String seeds, LanguageModel model) {
        return TroupeRuntime.builder()
                .model("gpt", model)
                .journal(new Journal.H2Memory("otel-two-nodes"))
                .config(io.troupe.testkit.TroupeHarness.TEST_CONFIG)
                .config("pekko.remote.artery.canonical.port = " + port + "\n" + seeds)
                .start();
    }

    private static List<String> names(List<Metric> metrics) {
        return metrics.stream().map(Metric::getName).distinct().toList();
    }
}
