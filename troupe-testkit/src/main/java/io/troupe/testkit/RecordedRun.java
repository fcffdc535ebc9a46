package io.troupe.testkit;

import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.RunHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

/**
 * A run made of recorded events, for code that follows runs (telemetry, views) without a runtime: each subscriber gets
 * every event on its own thread when it first requests, as a live run delivers them on its entity's thread. The
 * stream completes after a {@link JournalEvent.RunFinished}, and stays open otherwise, until {@link #fail}.
 */
public final class RecordedRun implements RunHandle {
    private final String conversationId;
    private final List<RunEvent> events;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final List<Flow.Subscriber<? super RunEvent>> subscribers = new CopyOnWriteArrayList<>();

    /** A run {@code conversationId} whose events are {@code events}, in order. */
    public RecordedRun(String conversationId, List<? extends RunEvent> events) {
        this.conversationId = conversationId;
        this.events = List.copyOf(events);
        if (!this.events.isEmpty() && this.events.getLast() instanceof JournalEvent.RunFinished finished) {
            outcome.complete(finished.outcome());
        }
    }

    /** Ends every subscriber's stream with {@code error}, as when a run's node goes away. */
    public void fail(Throwable error) {
        new ArrayList<>(subscribers).forEach(subscriber -> subscriber.onError(error));
    }

    @Override
    public String conversationId() {
        return conversationId;
    }

    @Override
    public CompletionStage<Instant> started() {
        return CompletableFuture.completedFuture(Instant.now());
    }

    @Override
    public Flow.Publisher<RunEvent> journalEvents() {
        return events();
    }

    @Override
    public Flow.Publisher<RunEvent> events() {
        return subscriber -> {
            subscribers.add(subscriber);
            subscriber.onSubscribe(new Flow.Subscription() {
                private boolean delivered;

                @Override
                public void request(long n) {
                    if (delivered) {
                        return;
                    }
                    delivered = true;
                    events.forEach(subscriber::onNext);
                    if (outcome.isDone()) {
                        subscriber.onComplete();
                    }
                }

                @Override
                public void cancel() {
                    delivered = true;
                    subscribers.remove(subscriber);
                }
            });
        };
    }

    /** The outcome its {@link JournalEvent.RunFinished} records; never completes for a run without one. */
    @Override
    public CompletionStage<Outcome> outcome() {
        return outcome;
    }

    @Override
    public CompletionStage<Outcome> cancel(String reason) {
        return outcome;
    }
}
