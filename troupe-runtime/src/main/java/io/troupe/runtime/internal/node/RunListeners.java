package io.troupe.runtime.internal.node;

import io.troupe.api.run.ChildEvent;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.TokenDelta;
import io.troupe.runtime.internal.conversation.LocalFollowers;
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
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The client side of runs on one node: each run followed from this node has a {@link Listener}, its {@link RunHandle}.
 * Conversation entities on this node hand it their events and tokens directly ({@link LocalFollowers}); entities on other
 * nodes send them to one actor per node, which hands them over. One actor per node, rather than one per run, keeps
 * starting a run cheap.
 */
final class RunListeners implements LocalFollowers {
    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
    /** Sends a run its cancel command: (conversation id, reason). */
    private final BiConsumer<String, String> canceller;

    private final ActorRef<RunUpdate> ref;

    /** Listeners whose actor {@code spawn} starts (a system actor of the node). */
    RunListeners(Function<Behavior<RunUpdate>, ActorRef<RunUpdate>> spawn, BiConsumer<String, String> canceller) {
        this.canceller = canceller;
        this.ref = spawn.apply(behavior());
    }

    /** The actor that receives {@link RunUpdate}s for this node from other nodes. */
    private Behavior<RunUpdate> behavior() {
        return Behaviors.receive(RunUpdate.class)
                .onMessage(RunUpdate.class, update -> {
                    deliver(update);
                    return Behaviors.same();
                })
                .build();
    }

    @Override
    public ActorRef<RunUpdate> ref() {
        return ref;
    }

    @Override
    public void deliver(RunUpdate update) {
        Listener listener = listeners.get(update.conversationId());
        if (listener != null) {
            listener.accept(update);
        }
    }

    @Override
    public boolean wantsTokens(String conversationId) {
        Listener listener = listeners.get(conversationId);
        return listener != null && listener.events.hasSubscribers();
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

    /** Hands each listener whose run has not ended to {@code action}. */
    void forEachOpen(Consumer<Listener> action) {
        for (Listener listener : listeners.values()) {
            if (!listener.isDone()) {
                action.accept(listener);
            }
        }
    }

    /** What a liveness check found about a run: see {@link Listener#check}. */
    enum Check {
        /** Nothing to do. */
        FINE,
        /** The run's start was not journaled in time: it failed to start. */
        START_OVERDUE,
        /** The run should have ended by now: its entity may be lost, and should be woken. */
        SILENT
    }

    /** One run followed from this node. Thread-safe. */
    final class Listener implements RunHandle {
        private final String conversationId;
        private final ReplayPublisher<RunEvent> events = new ReplayPublisher<>(RunListeners::isToken);
        private final CompletableFuture<Instant> started = new CompletableFuture<>();
        private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        private long nextIndex;
        /** What to run once the run has ended. */
        private final List<Runnable> onDone = new ArrayList<>();
        /** When (nanoTime) the start must be journaled by; 0 for no deadline. Guarded by this. */
        private long startBy;
        /** What to run if the start is overdue. Guarded by this. */
        private Runnable onStartOverdue = () -> {};
        /** When (nanoTime) to check next that the run is alive; 0 for never. Guarded by this. */
        private long checkAt;
        /** When each journal event delivered so far was journaled; guarded by this listener's lock. */
        private final List<Instant> times = new ArrayList<>();

        private Listener(String conversationId) {
            this.conversationId = conversationId;
        }

        /** Runs {@code action} once the run has ended (at once if it has). */
        void onDone(Runnable action) {
            synchronized (this) {
                if (!outcome.isDone()) {
                    onDone.add(action);
                    return;
                }
            }
            action.run();
        }

        boolean isDone() {
            return outcome.isDone();
        }

        /**
         * Sets the liveness checks: the start must be journaled by {@code startBy} (nanoTime; 0 for no deadline), or
         * {@code onStartOverdue} runs; the run should have ended by {@code checkAt} (nanoTime).
         */
        synchronized void watch(long startBy, Runnable onStartOverdue, long checkAt) {
            this.startBy = startBy;
            this.onStartOverdue = onStartOverdue;
            this.checkAt = checkAt;
        }

        /**
         * Checks the run at {@code now} (nanoTime): whether its start is overdue (reported once), or it should have
         * ended (then checked again {@code grace} later).
         */
        synchronized Check check(long now, long grace) {
            if (outcome.isDone()) {
                return Check.FINE;
            }
            if (startBy != 0 && !started.isDone() && now - startBy > 0) {
                startBy = 0;
                return Check.START_OVERDUE;
            }
            if (checkAt != 0 && now - checkAt > 0) {
                checkAt = now + grace;
                return Check.SILENT;
            }
            return Check.FINE;
        }

        /** The start was overdue and has failed: the node forgets this run and frees what it held. */
        void startTimedOut() {
            Runnable action;
            synchronized (this) {
                action = onStartOverdue;
                checkAt = 0;
            }
            listeners.remove(conversationId, this);
            action.run();
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
                        onDone.forEach(Runnable::run);
                        onDone.clear();
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
        public Flow.Publisher<RunEvent> journalEvents() {
            return events.durable();
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

    /** Whether {@code event} is a streamed token, of this run or of a child run. */
    private static boolean isToken(RunEvent event) {
        return event instanceof TokenDelta
                || (event instanceof ChildEvent child && child.event() instanceof TokenDelta);
    }
}
