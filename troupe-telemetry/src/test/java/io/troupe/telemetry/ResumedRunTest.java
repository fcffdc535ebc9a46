package io.troupe.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import io.troupe.api.run.ChildEvent;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.Member;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.Journal;
import io.troupe.runtime.TroupeRuntime;
import io.troupe.testkit.RecordedRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private static final TeamSpec RESEARCH = TeamSpec.builder("research")
            .members(AgentSpec.of("searcher", "m", "You search."), AgentSpec.of("summarizer", "m", "You summarize."))
            .sequential("searcher", "summarizer")
            .build();
    private static final TeamSpec NEWSROOM = TeamSpec.builder("newsroom")
            .members(
                    Member.team("research", "researcher", RESEARCH),
                    Member.of(AgentSpec.of("writer", "m", "You write.")))
            .sequential("research", "writer")
            .budget(Budget.DEFAULT.withMaxTurns(10))
            .build();

    private static Transcript root;
    private static Transcript child;

    /** One real nested run: the root's journal and its child's, as a resumed run's history is read. */
    @BeforeAll
    static void runOnce() throws Exception {
        try (Troupe troupe = TroupeRuntime.builder()
                .journal(Journal.inMemory())
                .model(
                        "m",
                        (request, tokens) ->
                                CompletableFuture.completedFuture(ModelResponse.text("Noted.", Usage.of(10, 2))))
                .start()) {
            RunHandle run = troupe.submit(NEWSROOM, "Report on auctions", Map.of());
            assertThat(run.outcome().toCompletableFuture().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(Outcome.Completed.class);
            root = troupe.replay(run.conversationId()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            List<Transcript> children = Telemetry.childRuns(troupe, root, Duration.ofSeconds(30));
            assertThat(children).hasSize(1);
            child = children.getFirst();
        }
        assertThat(root.timed()).isTrue();
    }

    @Test
    void resumedInsideItsChild_countsOnlyWhatFollows_andGivesTheHistoryJournalTimes() throws Exception {
        // The process stopped after the child's first model call: the root had journaled up to the child's request,
        // the child up to its searcher's answer. On resuming, the root's events come again, then the child's, all
        // from the first.
        int requested = indexOf(root.events(), JournalEvent.SubRunRequested.class, 0);
        int answered = indexOf(child.events(), JournalEvent.LlmCompleted.class, 0);
        List<RunEvent> delivered = new ArrayList<>(root.events().subList(0, requested + 1));
        child.events().forEach(e -> delivered.add(new ChildEvent(child.conversationId(), e)));
        delivered.addAll(root.events().subList(requested + 1, root.events().size()));
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
                    .resume(new RecordedRun(root.conversationId(), delivered), history)
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
            int searcherTurn = indexOf(child.events(), JournalEvent.TurnStarted.class, 0);
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
        List<RunEvent> delivered = new ArrayList<>();
        int requested = indexOf(root.events(), JournalEvent.SubRunRequested.class, 0);
        delivered.addAll(root.events().subList(0, requested + 1));
        child.events().forEach(e -> delivered.add(new ChildEvent(child.conversationId(), e)));
        delivered.addAll(root.events().subList(requested + 1, root.events().size()));
        try (Telemetry telemetry = Telemetry.create(
                TelemetrySettings.OFF, InMemorySpanExporter.create(), InMemoryMetricExporter.create())) {
            telemetry.follow(new RecordedRun(root.conversationId(), delivered)).get(10, TimeUnit.SECONDS);

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
        int requested = indexOf(root.events(), JournalEvent.SubRunRequested.class, 0);
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

    private static int indexOf(List<JournalEvent> events, Class<? extends JournalEvent> kind, int from) {
        for (int i = from; i < events.size(); i++) {
            if (kind.isInstance(events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no " + kind.getSimpleName() + " in " + events);
    }

    private static SpanData span(InMemorySpanExporter spans, String name) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans.getFinishedSpanItems()));
    }
}
