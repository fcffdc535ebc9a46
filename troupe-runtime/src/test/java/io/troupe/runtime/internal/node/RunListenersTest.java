package io.troupe.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.TokenDelta;
import io.troupe.runtime.internal.conversation.RunUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

class RunListenersTest {
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    private static final RunListeners.Runs NO_RUNS = new RunListeners.Runs() {
        @Override
        public void cancel(String conversationId, String reason) {}

        @Override
        public void subscribe(String conversationId, ActorRef<RunUpdate> subscriber, boolean tokens, long from) {}
    };

    /** Listeners with their actor in a test kit. */
    private record Harness(RunListeners listeners, BehaviorTestKit<Object> actor) {
        static Harness of(RunListeners.Runs runs, LongSupplier nanoTime) {
            List<BehaviorTestKit<Object>> actors = new ArrayList<>();
            RunListeners listeners = new RunListeners(
                    behavior -> {
                        actors.add(BehaviorTestKit.create(behavior));
                        return actors.getLast().getRef();
                    },
                    runs,
                    nanoTime);
            return new Harness(listeners, actors.getFirst());
        }
    }

    private static JournalEvent message(String id) {
        return new JournalEvent.MessageSent(Message.builder()
                .id(id)
                .conversationId("c1")
                .sender("a")
                .to(Message.COORDINATOR)
                .performative(Performative.INFORM)
                .body(id)
                .build());
    }

    @Test
    void historySentAgainByARestartedEntity_isDeliveredOnce() {
        Harness harness = Harness.of(NO_RUNS, System::nanoTime);
        RunListeners listeners = harness.listeners();
        List<String> created = new ArrayList<>();
        RunListeners.Listener listener = listeners.listen("c1", l -> created.add(l.conversationId()));
        BehaviorTestKit<Object> actor = harness.actor();
        List<RunEvent> received = new ArrayList<>();
        listener.events().subscribe(collect(received));

        JournalEvent m1 = message("m1");
        JournalEvent m2 = message("m2");
        JournalEvent finished = new JournalEvent.RunFinished(new Outcome.Completed("done", null), Usage.ZERO, 1, NOW);
        Instant t1 = NOW.plusMillis(10);
        Instant t2 = NOW.plusMillis(250);
        Instant t3 = NOW.plusMillis(900);
        actor.run(new RunUpdate("c1", 0, List.of(m1), List.of(t1)));
        actor.run(new RunUpdate("c1", -1, List.of(new TokenDelta(1, "a", "to")), List.of()));
        // A restarted entity sends its whole history, then continues.
        actor.run(new RunUpdate("c1", 0, List.of(m1, m2), List.of(t1, t2)));
        actor.run(new RunUpdate("c1", 2, List.of(finished), List.of(t3)));

        assertThat(received).containsExactly(m1, new TokenDelta(1, "a", "to"), m2, finished);
        // Each journal event once, with the time it was journaled; tokens have none.
        assertThat(List.of(listener.journaledAt(0), listener.journaledAt(1), listener.journaledAt(2)))
                .containsExactly(Optional.of(t1), Optional.of(t2), Optional.of(t3));
        assertThat(listener.journaledAt(3)).isEmpty();
        assertThat(listener.outcome().toCompletableFuture().join()).isEqualTo(new Outcome.Completed("done", null));
        assertThat(created).containsExactly("c1");
        // A finished run no longer has a listener; following it again starts afresh.
        assertThat(listeners.listen("c1", l -> created.add("again"))).isNotSameAs(listener);
    }

    @Test
    void listen_sameRunTwice_sharesOneListener() {
        RunListeners listeners = Harness.of(NO_RUNS, System::nanoTime).listeners();
        List<String> created = new ArrayList<>();

        RunListeners.Listener first = listeners.listen("c1", l -> created.add("first"));
        RunListeners.Listener second = listeners.listen("c1", l -> created.add("second"));

        assertThat(second).isSameAs(first);
        assertThat(created).containsExactly("first");
    }

    @Test
    void check_startNotJournaledByItsDeadline_isOverdueOnce_andForgettingItFreesItsPlaceOnce() {
        RunListeners listeners = Harness.of(NO_RUNS, System::nanoTime).listeners();
        RunListeners.Listener listener = listeners.listen("c1", l -> {});
        List<String> freed = new ArrayList<>();
        listener.watch(1_000, () -> freed.add("c1"), 50_000);

        assertThat(listener.check(999, 100)).isEqualTo(RunListeners.Check.FINE);
        assertThat(listener.check(1_001, 100)).isEqualTo(RunListeners.Check.START_OVERDUE);
        listener.startTimedOut();

        assertThat(freed).containsExactly("c1");
        assertThat(listener.check(60_000, 100))
                .as("no liveness check for a run that never started")
                .isEqualTo(RunListeners.Check.FINE);
        List<String> open = new ArrayList<>();
        listeners.forEachOpen(l -> open.add(l.conversationId()));
        assertThat(open).isEmpty();
    }

    @Test
    void check_aStartedRunPastItsWallClock_isSilent_andCheckedAgainAfterTheGrace() {
        Harness harness = Harness.of(NO_RUNS, System::nanoTime);
        RunListeners.Listener listener = harness.listeners().listen("c1", l -> {});
        listener.watch(1_000, () -> {}, 5_000);
        harness.actor()
                .run(new RunUpdate(
                        "c1",
                        0,
                        List.of(new JournalEvent.RunStarted(
                                "c1",
                                io.troupe.api.team.TeamSpec.builder("t")
                                        .members(io.troupe.api.agent.AgentSpec.of("a", "m", "Answer."))
                                        .sequential("a")
                                        .build(),
                                "task",
                                NOW,
                                null,
                                java.util.Map.of())),
                        List.of(NOW)));

        assertThat(listener.check(2_000, 100)).as("started in time").isEqualTo(RunListeners.Check.FINE);
        assertThat(listener.check(5_001, 100)).isEqualTo(RunListeners.Check.SILENT);
        assertThat(listener.check(5_050, 100)).as("within the grace").isEqualTo(RunListeners.Check.FINE);
        assertThat(listener.check(5_102, 100)).isEqualTo(RunListeners.Check.SILENT);

        JournalEvent finished = new JournalEvent.RunFinished(new Outcome.Completed("done", null), Usage.ZERO, 1, NOW);
        harness.actor().run(new RunUpdate("c1", 1, List.of(finished), List.of(NOW)));
        assertThat(listener.check(99_999, 100)).as("an ended run").isEqualTo(RunListeners.Check.FINE);
    }

    /** Records the subscriptions that listeners send again, as "id@from". */
    private static final class Recorded implements RunListeners.Runs {
        final List<String> subscribed = new ArrayList<>();

        @Override
        public void cancel(String conversationId, String reason) {}

        @Override
        public void subscribe(String conversationId, ActorRef<RunUpdate> subscriber, boolean tokens, long from) {
            subscribed.add(conversationId + "@" + from);
        }
    }

    @Test
    void silentRun_isSubscribedAgainFromWhereItsListenerIs_lessAndLessOften() {
        Recorded runs = new Recorded();
        long[] now = {0};
        Harness harness = Harness.of(runs, () -> now[0]);
        RunListeners listeners = harness.listeners();
        listeners.listen("c1", l -> {}).started(NOW);
        BehaviorTestKit<Object> actor = harness.actor();
        actor.run(new RunUpdate("c1", 0, List.of(message("m1"), message("m2")), List.of(NOW, NOW)));
        long quiet = RunListeners.QUIET.toNanos();

        now[0] = quiet - 1;
        listeners.checkQuiet();
        assertThat(runs.subscribed).isEmpty();
        now[0] = quiet;
        listeners.checkQuiet();
        assertThat(runs.subscribed).containsExactly("c1@2");
        // Still silent: the next subscription waits twice as long.
        now[0] = quiet + quiet;
        listeners.checkQuiet();
        assertThat(runs.subscribed).containsExactly("c1@2");
        now[0] = quiet + 2 * quiet;
        listeners.checkQuiet();
        assertThat(runs.subscribed).containsExactly("c1@2", "c1@2");
        // Hearing from the run resets the wait.
        actor.run(new RunUpdate("c1", 2, List.of(message("m3")), List.of(NOW)));
        now[0] += quiet;
        listeners.checkQuiet();
        assertThat(runs.subscribed).containsExactly("c1@2", "c1@2", "c1@3");
    }

    @Test
    void memberRemoved_subscribesEveryFollowedRunAgain_butNotFinishedOrFailedOnes() {
        Recorded runs = new Recorded();
        Harness harness = Harness.of(runs, () -> 0);
        RunListeners listeners = harness.listeners();
        listeners.listen("running", l -> {}).started(NOW);
        RunListeners.Listener failed = listeners.listen("failed", l -> {});
        failed.failedToStart(new IllegalStateException("no journal"));
        RunListeners.Listener done = listeners.listen("done", l -> {});
        harness.actor()
                .run(new RunUpdate(
                        "done",
                        0,
                        List.of(new JournalEvent.RunFinished(new Outcome.Completed("ok", null), Usage.ZERO, 1, NOW)),
                        List.of(NOW)));
        assertThat(done.outcome().toCompletableFuture()).isCompleted();

        listeners.resubscribeAll();

        assertThat(runs.subscribed).containsExactly("running@0");
    }

    @Test
    void quietRunNotStartedYet_isNotSubscribedAgain_forItsStartGoesWhereverItLives() {
        Recorded runs = new Recorded();
        long[] now = {0};
        Harness harness = Harness.of(runs, () -> now[0]);
        RunListeners.Listener waiting = harness.listeners().listen("queued", l -> {});

        now[0] = RunListeners.MAX_QUIET.toNanos();
        harness.listeners().checkQuiet();
        harness.listeners().resubscribeAll();
        assertThat(runs.subscribed).isEmpty();

        waiting.started(NOW);
        now[0] += RunListeners.MAX_QUIET.toNanos();
        harness.listeners().checkQuiet();
        assertThat(runs.subscribed).containsExactly("queued@0");
    }

    private static Flow.Subscriber<RunEvent> collect(List<RunEvent> into) {
        return new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(RunEvent item) {
                into.add(item);
            }

            @Override
            public void onError(Throwable throwable) {}

            @Override
            public void onComplete() {}
        };
    }
}
