package io.troupe.runtime.internal.node;

import io.troupe.api.run.ChildEvent;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.TokenDelta;
import io.troupe.runtime.internal.conversation.LocalFollowers;
import io.troupe.runtime.internal.conversation.RunUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;

/**
 * The client side of runs on one node: each run followed from this node has a {@link Listener}, its {@link RunHandle}.
 * Conversation entities on this node hand it their events and tokens directly ({@link LocalFollowers}); entities on other
 * nodes send them to one actor per node, which hands them over. One actor per node, rather than one per run, keeps
 * starting a run cheap.
 *
 * <p>A conversation that moves to another node (its node left the cluster or crashed) starts there without its
 * subscribers, which are not journaled. So the node subscribes again, saying how far each listener got: at once for
 * every run it follows when a member leaves or is removed (the actor hears of it if it is subscribed to cluster
 * {@link ClusterEvent.MemberEvent}s), and for a run it has not heard from for a while, after {@link #QUIET} and then
 * less and less often (up to {@link #MAX_QUIET}), when the node's sweep calls {@link #checkQuiet()}. Subscribing again
 * is cheap and harmless: the entity sends only what the listener lacks.
 */
final class RunListeners implements LocalFollowers {
    /** How long a followed run may be silent before its node subscribes again. */
    static final Duration QUIET = Duration.ofSeconds(3);
    /** The longest wait between subscriptions to a run that stays silent. */
    static final Duration MAX_QUIET = Duration.ofSeconds(30);

    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
    private final Runs runs;
    private final LongSupplier nanoTime;

    private final ActorRef<Object> actor;
    private final ActorRef<RunUpdate> ref;

    /** What listeners ask of the conversations they follow. */
    interface Runs {
        /** Sends run {@code conversationId} its cancel command. */
        void cancel(String conversationId, String reason);

        /**
         * Subscribes {@code subscriber} (this node's actor) to run {@code conversationId} again, from journal position
         * {@code from}, with its streamed tokens if {@code tokens}.
         */
        void subscribe(String conversationId, ActorRef<RunUpdate> subscriber, boolean tokens, long from);
    }

    /**
     * Listeners whose actor {@code spawn} starts (a system actor of the node); the actor's reference narrowed to
     * {@code RunUpdate} is what entities send to.
     */
    RunListeners(Function<Behavior<Object>, ActorRef<Object>> spawn, Runs runs) {
        this(spawn, runs, System::nanoTime);
    }

    RunListeners(Function<Behavior<Object>, ActorRef<Object>> spawn, Runs runs, LongSupplier nanoTime) {
        this.runs = runs;
        this.nanoTime = nanoTime;
        this.actor = spawn.apply(behavior());
        this.ref = actor.narrow();
    }

    /**
     * The actor that receives {@link RunUpdate}s for this node from other nodes, and cluster {@link
     * ClusterEvent.MemberEvent}s if it is subscribed to them.
     */
    private Behavior<Object> behavior() {
        return Behaviors.receive(Object.class)
                .onMessage(RunUpdate.class, update -> {
                    deliver(update);
                    return Behaviors.same();
                })
                .onMessage(ClusterEvent.MemberEvent.class, event -> {
                    if (event instanceof ClusterEvent.MemberExited
                            || event instanceof ClusterEvent.MemberRemoved
                            || event instanceof ClusterEvent.MemberDowned) {
                        resubscribeAll();
                    }
                    return Behaviors.same();
                })
                .build();
    }

    /** The actor that receives this node's run updates and member events, to subscribe it to cluster events. */
    ActorRef<Object> actor() {
        return actor;
    }

    /** Subscribes again to every run that has been silent for its quiet period. */
    void checkQuiet() {
        long now = nanoTime.getAsLong();
        for (Listener listener : listeners.values()) {
            listener.checkQuiet(now);
        }
    }

    /** Subscribes again to every run this node follows: a member left, so some runs may have moved. */
    void resubscribeAll() {
        long now = nanoTime.getAsLong();
        for (Listener listener : listeners.values()) {
            listener.resubscribe(now, QUIET.toNanos());
        }
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

        /** When this node last heard from the run, or subscribed to it again (nanoTime). Guarded by this. */
        private long lastHeard = nanoTime.getAsLong();
        /** How long a silence is waited out before subscribing again; doubles while the run stays silent. */
        private long quiet = QUIET.toNanos();

        private Listener(String conversationId) {
            this.conversationId = conversationId;
        }

        private synchronized void checkQuiet(long now) {
            if (now - lastHeard >= quiet) {
                resubscribe(now, Math.min(quiet * 2, MAX_QUIET.toNanos()));
            }
        }

        /** Subscribes again from where this listener is, unless the run ended or has not started. */
        private synchronized void resubscribe(long now, long nextQuiet) {
            if (outcome.isDone() || !started.isDone() || started.isCompletedExceptionally()) {
                return; // ended, or not started yet: the start goes to wherever the run lives
            }
            lastHeard = now;
            quiet = nextQuiet;
            runs.subscribe(conversationId, ref, wantsTokens(conversationId), nextIndex);
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

        /** The run could not be journaled: it is no longer followed. */
        void failedToStart(Throwable failure) {
            started.completeExceptionally(failure);
            forget(this);
        }

        private synchronized void accept(RunUpdate update) {
            lastHeard = nanoTime.getAsLong();
            quiet = QUIET.toNanos();
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
                runs.cancel(conversationId, reason);
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
