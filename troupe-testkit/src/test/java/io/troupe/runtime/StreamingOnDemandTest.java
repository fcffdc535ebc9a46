package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.TokenDelta;
import io.troupe.api.team.TeamSpec;
import io.troupe.testkit.Reply;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A model call streams only while someone takes the run's tokens: a follower of the run's journal (telemetry, audit)
 * gets every journal event but no token, and the calls stay plain requests.
 */
class StreamingOnDemandTest {

    /** Records, for each call, whether it was asked to stream. */
    private record Recording(LanguageModel inner, List<Boolean> streamed) implements LanguageModel {
        @Override
        public CompletionStage<ModelResponse> generate(ModelRequest request, TokenSink tokens) {
            synchronized (streamed) {
                streamed.add(tokens != TokenSink.NONE);
            }
            return inner.generate(request, tokens);
        }
    }

    /** Takes everything, and completes {@code done} with what it got. */
    private static final class Collector implements Flow.Subscriber<RunEvent> {
        final List<RunEvent> events = new ArrayList<>();
        final CompletableFuture<List<RunEvent>> done = new CompletableFuture<>();

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public synchronized void onNext(RunEvent event) {
            events.add(event);
        }

        @Override
        public synchronized void onError(Throwable throwable) {
            done.completeExceptionally(throwable);
        }

        @Override
        public synchronized void onComplete() {
            done.complete(List.copyOf(events));
        }
    }

    private static final TeamSpec TEAM = TeamSpec.builder("desk")
            .members(AgentSpec.of("writer", "m", "You write."), AgentSpec.of("editor", "m", "You edit."))
            .sequential("writer", "editor")
            .build();

    @Test
    void journalFollower_getsEveryJournalEventAndNoToken_andTheCallsArePlain() throws Exception {
        List<Boolean> streamed = new ArrayList<>();
        ScriptedModel script =
                new ScriptedModel().then(Reply.text("A fox ran.")).then(Reply.text("A fox ran far."));
        try (TroupeHarness harness =
                TroupeHarness.start(TroupeHarness.runtime().model("m", new Recording(script, streamed)))) {
            RunHandle run = harness.troupe().submit(TEAM, "A story", Map.of());
            Collector journal = new Collector();
            run.journalEvents().subscribe(journal);
            List<RunEvent> events = journal.done.get(30, TimeUnit.SECONDS);

            assertThat(streamed).as("both calls were plain requests").containsExactly(false, false);
            assertThat(events).hasOnlyElementsOfType(JournalEvent.class);
            assertThat(events)
                    .as("every journal event, in order, from the first")
                    .containsExactlyElementsOf(harness.troupe()
                            .replay(run.conversationId())
                            .toCompletableFuture()
                            .get(30, TimeUnit.SECONDS)
                            .events());
        }
    }

    @Test
    void tokenSubscriber_makesTheCallsStream_andGetsTheirTokens() throws Exception {
        List<Boolean> streamed = new ArrayList<>();
        ScriptedModel script =
                new ScriptedModel().then(Reply.text("A fox ran.")).then(Reply.text("A fox ran far."));
        try (TroupeHarness harness =
                TroupeHarness.start(TroupeHarness.runtime().model("m", new Recording(script, streamed)))) {
            Collector everything = new Collector();
            harness.troupe().submit(TEAM, "A story", Map.of(), everything);
            List<RunEvent> events = everything.done.get(30, TimeUnit.SECONDS);

            assertThat(streamed).containsExactly(true, true);
            assertThat(events.stream()
                            .filter(TokenDelta.class::isInstance)
                            .map(event -> ((TokenDelta) event).text())
                            .reduce("", String::concat))
                    .isEqualTo("A fox ran.A fox ran far.");
        }
    }
}
