package io.troupe.runtime.internal.node;

import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.runtime.internal.conversation.RunUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.function.BiConsumer;
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
    /** Sends a run its cancel command: (conversation id, reason). */
    private final BiConsumer<String, String> canceller;

    RunListeners(BiConsumer<String, String> canceller) {
        this.canceller = canceller;
    }

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

    /** Forgets a listener whose run could not start. */
    void forget(Listener listener) {
        listeners.remove(listener.conversationId(), listener);
    }

    /** One run followed from this node. Thread-safe. */
    final class Listener implements RunHandle {
        private final String conversationId;
        private final ReplayPublisher<RunEvent> events = new ReplayPublisher<>();
        private final CompletableFuture<Instant> started = new CompletableFuture<>();
        private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        private long nextIndex;
        /** When each journal event delivered so far was journaled; guarded by this listener's lock. */
        private final List<Instant> times = new ArrayList<>();

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

        /** The run is journaled. */
        void started(Instant at) {
            started.complete(at);
        }

        /** The run could not be journaled. */
        void failedToStart(Throwable failure) {
            started.completeExceptionally(failure);
        }

        private synchronized void accept(RunUpdate update) {
            if (update.firstIndex() < 0) {
                update.events().forEach(events::publish); // tokens and child runs' events: not this run's journal
                return;
            }
            long index = update.firstIndex();
            int position = 0;
            for (RunEvent event : update.events()) {
                Instant at = position < update.times().size() ? update.times().get(position) : null;
                position++;
                if (index++ != nextIndex) {
                    continue; // already delivered: a restarted entity sent its history again
                }
                nextIndex++;
                if (at != null && times.size() == nextIndex - 1) {
                    times.add(at); // before publishing, so that a subscriber can ask when the event was journaled
                }
                events.publish(event);
                switch (event) {
                    case JournalEvent.RunStarted run -> started.complete(run.startedAt());
                    case JournalEvent.RunFinished finished -> {
                        events.complete();
                        outcome.complete(finished.outcome());
                        listeners.remove(conversationId, this);
                        if (onDone != null) {
                            onDone.run();
                        }
                    }
                    default -> {}
                }
            }
        }

        @Override
        public String conversationId() {
            return conversationId;
        }

        @Override
        public CompletionStage<Instant> started() {
            return started.minimalCompletionStage();
        }

        @Override
        public synchronized Optional<Instant> journaledAt(long index) {
            return index >= 0 && index < times.size() ? Optional.of(times.get((int) index)) : Optional.empty();
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
        public CompletionStage<Outcome> cancel(String reason) {
            if (!outcome.isDone()) {
                canceller.accept(conversationId, reason);
            }
            return outcome();
        }

        @Override
        public String toString() {
            return "Run[" + conversationId + "]";
        }
    }
}
