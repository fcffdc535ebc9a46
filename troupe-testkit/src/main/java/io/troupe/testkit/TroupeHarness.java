package io.troupe.testkit;

import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.Journal;
import io.troupe.runtime.TroupeRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs teams in a test runtime and collects what happened.
 *
 * <p>The runtime it starts uses the in-memory journal unless told otherwise, and checks that every actor message
 * and journal event survives serialization ({@code serialize-messages = on}), so that nothing works only because
 * it shares one JVM.
 *
 * <pre>{@code
 * try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
 *     RunRecord run = harness.run(team, "Plan a trip");
 *     assertThat(run.performatives()).containsExactly(REQUEST, INFORM);
 * }
 * }</pre>
 */
public final class TroupeHarness implements AutoCloseable {
    /** Pekko settings for tests: serialize every message and journaled event, and log warnings only. */
    public static final String TEST_CONFIG = """
            pekko.actor.serialize-messages = on
            troupe.memory-journal.test-serialization = on
            pekko.loglevel = WARNING
            """;

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    private final Troupe troupe;

    private TroupeHarness(Troupe troupe) {
        this.troupe = troupe;
    }

    /** A runtime builder with an in-memory journal and {@link #TEST_CONFIG}. */
    public static TroupeRuntime.Builder runtime() {
        return TroupeRuntime.builder().journal(Journal.inMemory()).config(TEST_CONFIG);
    }

    /** Starts the runtime that {@code builder} describes. */
    public static TroupeHarness start(TroupeRuntime.Builder builder) {
        return new TroupeHarness(builder.start());
    }

    /** The runtime, for calls the harness does not wrap. */
    public Troupe troupe() {
        return troupe;
    }

    /**
     * Runs {@code team} on {@code task} and waits (up to a minute) for it to end. It follows the run from before it
     * starts, so its record holds the tokens of every model call.
     */
    public RunRecord run(TeamSpec team, String task) {
        Collector collector = new Collector();
        RunHandle handle = troupe.submit(team, task, Map.of(), collector);
        await(handle.started().toCompletableFuture(), "the start of " + handle);
        return collector.record(handle);
    }

    /** Waits for a run to end and collects its events. */
    public static RunRecord collect(RunHandle handle) {
        Collector collector = new Collector();
        handle.events().subscribe(collector);
        return collector.record(handle);
    }

    /** Collects a run's events until the stream completes. */
    private static final class Collector implements Flow.Subscriber<RunEvent> {
        private final List<RunEvent> events = Collections.synchronizedList(new ArrayList<>());
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(RunEvent item) {
            events.add(item);
        }

        @Override
        public void onError(Throwable throwable) {
            done.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }

        RunRecord record(RunHandle handle) {
            Outcome outcome = await(handle.outcome().toCompletableFuture(), "the outcome of " + handle);
            await(done, "the events of " + handle);
            return new RunRecord(handle.conversationId(), outcome, events);
        }
    }

    private static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            throw new AssertionError("failed while waiting for " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + RUN_TIMEOUT.toSeconds() + " s waiting for " + what, e);
        }
    }

    @Override
    public void close() {
        troupe.close();
    }
}
