package io.troupe.runtime.internal;

import io.troupe.api.event.JournalEvent;
import io.troupe.api.event.RunEvent;
import io.troupe.api.event.TokenDelta;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunHandle;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.jspecify.annotations.Nullable;

/**
 * The client side of runs on one node: one actor receives the events of every run followed from this node, from
 * conversation entities anywhere in the cluster, and hands them to each run's {@link RunHandle}. One actor per
 * node, rather than one per run, keeps starting a run cheap.
 */
final class RunListeners {
    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();

    /** The actor that receives {@link RunUpdate}s for this node. */
    Behavior<RunUpdate> behavior() {
        return Behaviors.receive(RunUpdate.class)
                .onMessage(RunUpdate.class, update -> {
                    Listener listener = listeners.get(update.conversationId());
                    if (listener != null) {
                        listener.accept(update);
                    }
                    return Behaviors.same();
                })
                .build();
    }

    /** The listener of {@code conversationId} on this node, created if needed; {@code created} runs if it was. */
    Listener listen(String conversationId, Consumer<Listener> created) {
        boolean[] fresh = {false};
        Listener listener = listeners.computeIfAbsent(conversationId, id -> {
            fresh[0] = true;
            return new Listener(id);
        });
        if (fresh[0]) {
            created.accept(listener);
        }
        return listener;
    }

    /** One run followed from this node. Thread-safe. */
    final class Listener implements RunHandle {
        private final String conversationId;
        private final ReplayPublisher<RunEvent> events = new ReplayPublisher<>();
        private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        private long nextIndex;
        private @Nullable Runnable onDone;

        private Listener(String conversationId) {
            this.conversationId = conversationId;
        }

        /** Runs {@code action} once the run has ended (at once if it has). */
        synchronized void onDone(Runnable action) {
            if (outcome.isDone()) {
                action.run();
            } else {
                onDone = action;
            }
        }

        boolean isDone() {
            return outcome.isDone();
        }

        private synchronized void accept(RunUpdate update) {
            long index = update.firstIndex();
            for (RunEvent event : update.events()) {
                if (event instanceof TokenDelta) {
                    events.publish(event);
                    continue;
                }
                if (index++ != nextIndex) {
                    continue; // already delivered: a restarted entity sent its history again
                }
                nextIndex++;
                events.publish(event);
                if (event instanceof JournalEvent.RunFinished finished) {
                    events.complete();
                    outcome.complete(finished.outcome());
                    listeners.remove(conversationId, this);
                    if (onDone != null) {
                        onDone.run();
                    }
                }
            }
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
}
