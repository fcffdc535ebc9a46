package io.troupe.runtime.internal;

import io.troupe.api.event.JournalEvent;
import io.troupe.api.event.RunEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The client side of a run: an actor that receives the run's events from its conversation entity (on any node) and
 * hands them to the {@link RunHandle}'s publisher and outcome.
 */
final class RunListener implements RunHandle {
    private final String conversationId;
    private final ReplayPublisher<RunEvent> events = new ReplayPublisher<>();
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

    RunListener(String conversationId) {
        this.conversationId = conversationId;
    }

    Behavior<RunEvent> behavior() {
        return Behaviors.receive(RunEvent.class)
                .onMessage(RunEvent.class, event -> {
                    events.publish(event);
                    if (event instanceof JournalEvent.RunFinished finished) {
                        events.complete();
                        outcome.complete(finished.outcome());
                        return Behaviors.stopped();
                    }
                    return Behaviors.same();
                })
                .build();
    }

    @Override
    public String conversationId() {
        return conversationId;
    }

    @Override
    public Flow.Publisher<RunEvent> events() {
        return events;
    }

    @Override
    public CompletionStage<Outcome> outcome() {
        return outcome.minimalCompletionStage();
    }

    @Override
    public String toString() {
        return "Run[" + conversationId + "]";
    }
}
