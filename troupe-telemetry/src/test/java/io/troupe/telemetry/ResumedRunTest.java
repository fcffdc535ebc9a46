package io.troupe.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.Transcript;
import io.troupe.testkit.RecordedRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A run resumed after its process stopped delivers its events again from the first. {@link Telemetry#resume} counts in
 * the metrics only what comes after the history it is given, and gives the history's spans the journal's times; child
 * runs' events are told apart the same way. Runs in flight count top-level runs only, whatever their children do.
 */
class ResumedRunTest {
    private static Transcript root;
    private static Transcript child;
    private static List<RunEvent> whole;

    @BeforeAll
    static void runOnce() throws Exception {
        NestedRun run = NestedRun.get();
        root = run.root();
        child = run.child();
        whole = run.delivered();
    }

    @Test
    void resumedInsideItsChild_countsOnlyWhatFollows_andGivesTheHistoryJournalTimes() throws Exception {
        // The process stopped after the child's first model call: the root had journaled up to the child's request,
        // the child up to its searcher's answer. On resuming, the root's events come again, then the child's, all
        // from the first.
        int requested = NestedRun.indexOf(root.events(), JournalEvent.SubRunRequested.class, 0);
        int answered = NestedRun.indexOf(child.events(), JournalEvent.LlmCompleted.class, 0);
        List<Transcript> history = List.of(
                new Transcript(
                        root.conversationId(),
                        root.events().subList(0, requested + 1),
                        root.times().subList(0, requested + 1)),
                new Transcript(
                        child.conversationId(),
                        child.events().subList(0, answered + 1),
                        child.times().subList(0, answered + 1)));
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (Telemetry telemetry = Telemetry.create(TelemetrySettings.OFF, spans, InMemoryMetricExporter.create())) {
            Instant resumedAt = Instant.now();
            telemetry
                    .resume(new RecordedRun(root.conversationId(), whole), history)
                    .get(10, TimeUnit.SECONDS);
            telemetry.flush(Duration.ofSeconds(10));

            String scrape = telemetry.scrape();
            assertThat(scrape)
                    .doesNotContain("agent=\"searcher\"")
                    .contains("troupe_steps_total{agent=\"summarizer\",kind=\"model\"} 1.0")
                    .contains("troupe_steps_total{agent=\"writer\",kind=\"model\"} 1.0")
                    .contains("troupe_runs_total{outcome=\"completed\",team=\"newsroom\"} 1.0")
                    .contains("troupe_runs_total{outcome=\"completed\",team=\"research\"} 1.0")
                    .contains("troupe_runs_in_flight 0.0");

            SpanData run = span(spans, "invoke_agent newsroom");
            assertThat(run.getAttributes().asMap().toString()).contains("troupe.timing=journaled");
            // The searcher's turn happened before the stop: its span has the child's journal time. The writer's
            // turn happened after: its span starts when it was observed.
            int searcherTurn = NestedRun.indexOf(child.events(), JournalEvent.TurnStarted.class, 0);
            assertThat(Instant.ofEpochSecond(
                            0, span(spans, "invoke_agent searcher").getStartEpochNanos()))
                    .isEqualTo(child.times().get(searcherTurn));
            assertThat(Instant.ofEpochSecond(
                            0, span(spans, "invoke_agent writer").getStartEpochNanos()))
                    .isAfterOrEqualTo(resumedAt);
        }
    }

    @Test
    void followedWithoutHistory_countsEveryStep() throws Exception {
        try (Telemetry telemetry = Telemetry.create(
                TelemetrySettings.OFF, InMemorySpanExporter.create(), InMemoryMetricExporter.create())) {
            telemetry.follow(new RecordedRun(root.conversationId(), whole)).get(10, TimeUnit.SECONDS);

            // The child run's end does not count as a top-level run leaving: one followed, none in flight.
            assertThat(telemetry.scrape())
                    .contains("troupe_steps_total{agent=\"searcher\",kind=\"model\"} 1.0")
                    .contains("troupe_steps_total{agent=\"summarizer\",kind=\"model\"} 1.0")
                    .contains("troupe_steps_total{agent=\"writer\",kind=\"model\"} 1.0")
                    .contains("troupe_runs_in_flight 0.0");
        }
    }

    @Test
    void aRunWhoseEventsStopComing_leavesTheRunsInFlight() throws Exception {
        int requested = NestedRun.indexOf(root.events(), JournalEvent.SubRunRequested.class, 0);
        RecordedRun cut =
                new RecordedRun(root.conversationId(), List.copyOf(root.events().subList(0, requested)));
        try (Telemetry telemetry = Telemetry.create(
                TelemetrySettings.OFF, InMemorySpanExporter.create(), InMemoryMetricExporter.create())) {
            CompletableFuture<Void> followed = telemetry.follow(cut);
            assertThat(telemetry.scrape()).contains("troupe_runs_in_flight 1.0");
            cut.fail(new IllegalStateException("the node left"));

            followed.get(10, TimeUnit.SECONDS);
            assertThat(telemetry.scrape()).contains("troupe_runs_in_flight 0.0");
        }
    }

    private static SpanData span(InMemorySpanExporter spans, String name) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans.getFinishedSpanItems()));
    }
}
