package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A node may follow a run again and again: each attach delivers the whole run, however often it is followed. */
class AttachAgainTest {
    private static final TeamSpec SOLO = TeamSpec.builder("solo")
            .members(AgentSpec.of("worker", "m", "You work."))
            .build();

    /** A runtime whose model answers "done" to anything. */
    private static Troupe runtime() {
        return TroupeHarness.runtime()
                .model("m", new ScriptedModel().on(Match.any(), Reply.text("done")))
                .start();
    }

    @Test
    void attach_againAfterTheFirstHandleEnded_deliversTheWholeRunAgain() throws Exception {
        try (Troupe troupe = runtime()) {
            RunHandle run = troupe.run(SOLO, "work");
            Outcome outcome = run.outcome().toCompletableFuture().get(30, TimeUnit.SECONDS);
            List<RunEvent> first = collect(troupe.attach(run.conversationId()));
            List<RunEvent> second = collect(troupe.attach(run.conversationId()));

            assertThat(first).isNotEmpty().last().isInstanceOf(JournalEvent.RunFinished.class);
            assertThat(second).isEqualTo(first);
            assertThat(troupe.attach(run.conversationId())
                            .outcome()
                            .toCompletableFuture()
                            .get(30, TimeUnit.SECONDS))
                    .isEqualTo(outcome);
        }
    }

    @Test
    void attach_returnsAHandleAlreadyStarted_forTheRunIsJournaled() throws Exception {
        try (Troupe troupe = runtime()) {
            RunHandle run = troupe.run(SOLO, "work");
            Instant startedAt = run.started().toCompletableFuture().get(30, TimeUnit.SECONDS);
            run.outcome().toCompletableFuture().get(30, TimeUnit.SECONDS);

            // Started before any of its events arrive: a node that follows the run subscribes again should its
            // subscription be lost with a crashed node, and it does that only for runs it knows have started.
            CompletableFuture<Instant> attached =
                    troupe.attach(run.conversationId()).started().toCompletableFuture();
            Instant atOnce = attached.getNow(null);
            assertThat(atOnce).as("started when attach returns").isEqualTo(startedAt);
        }
    }

    private static List<RunEvent> collect(RunHandle handle) throws Exception {
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        handle.events().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(RunEvent event) {
                events.add(event);
            }

            @Override
            public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }
        });
        done.get(30, TimeUnit.SECONDS);
        return events;
    }
}
