package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.TeamSpec;
import io.troupe.testkit.Reply;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The journal records when each event was written, by the runtime's clock, and readers get those times back. */
class JournalTimesTest {
    private static final Instant T0 = Instant.parse("2026-12-06T09:00:00Z");

    /** A clock that stands still until a test moves it. */
    private static final class HandClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(T0);

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    /** A model that takes {@code took} of the hand clock's time to answer. */
    private record SlowModel(LanguageModel inner, HandClock clock, List<Duration> took) implements LanguageModel {
        @Override
        public CompletionStage<ModelResponse> generate(ModelRequest request, TokenSink tokens) {
            synchronized (took) {
                clock.advance(took.removeFirst());
            }
            return inner.generate(request, tokens);
        }
    }

    @Test
    void transcript_timesEachEventByTheRuntimeClock_andTheLiveHandleAgrees() {
        HandClock clock = new HandClock();
        ScriptedModel script = new ScriptedModel().then(Reply.text("draft")).then(Reply.text("final"));
        List<Duration> took = new ArrayList<>(List.of(Duration.ofMillis(1500), Duration.ofMillis(4250)));
        TeamSpec team = TeamSpec.builder("desk")
                .members(AgentSpec.of("writer", "m", "You write."), AgentSpec.of("editor", "m", "You edit."))
                .sequential("writer", "editor")
                .build();
        try (TroupeHarness harness = TroupeHarness.start(
                TroupeHarness.runtime().clock(clock).model("m", new SlowModel(script, clock, took)))) {
            RunHandle handle = harness.troupe().run(team, "A story");
            TroupeHarness.collect(handle);
            Transcript transcript = harness.troupe()
                    .replay(handle.conversationId())
                    .toCompletableFuture()
                    .join();

            List<JournalEvent> events = transcript.events();
            assertThat(transcript.timed()).isTrue();
            assertThat(transcript.times()).hasSameSizeAs(events).first().isEqualTo(T0);
            int writerAsked = index(events, JournalEvent.LlmRequested.class, 0);
            int writerAnswered = index(events, JournalEvent.LlmCompleted.class, 0);
            int editorAsked = index(events, JournalEvent.LlmRequested.class, 1);
            int editorAnswered = index(events, JournalEvent.LlmCompleted.class, 1);
            assertThat(transcript.between(writerAsked, writerAnswered)).contains(Duration.ofMillis(1500));
            assertThat(transcript.between(editorAsked, editorAnswered)).contains(Duration.ofMillis(4250));
            assertThat(transcript.timeOf(events.size() - 1)).contains(T0.plusMillis(5750));
            // The run's end carries the same clock.
            assertThat(((JournalEvent.RunFinished) events.getLast()).finishedAt())
                    .isEqualTo(T0.plusMillis(5750));
            for (int i = 0; i < events.size(); i++) {
                assertThat(handle.journaledAt(i))
                        .as("event %d", i)
                        .isEqualTo(Optional.of(transcript.times().get(i)));
            }
        }
        script.verify();
    }

    private static int index(List<JournalEvent> events, Class<? extends JournalEvent> type, int nth) {
        int seen = 0;
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i)) && seen++ == nth) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " #" + nth + " in " + events);
    }
}
