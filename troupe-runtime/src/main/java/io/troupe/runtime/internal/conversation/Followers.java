package io.troupe.runtime.internal.conversation;

import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.LlmRequested;
import io.troupe.api.run.RunEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.jspecify.annotations.Nullable;

/**
 * A conversation's history, every event in journal order, and the subscribers who follow it: a late subscriber
 * receives the history first, then each batch as it is journaled.
 */
final class Followers {

    private final String conversationId;
    private final Set<ActorRef<RunUpdate>> subscribers = new LinkedHashSet<>();
    private final List<JournalEvent> history = new ArrayList<>();
    private final List<Instant> times = new ArrayList<>();

    Followers(String conversationId) {
        this.conversationId = conversationId;
    }

    /**
     * Adds {@code subscriber} and sends it the history so far. A node that subscribes again (it follows the run anew
     * after its first handle ended) gets the history again, and its listeners drop what they already have.
     */
    void subscribe(ActorRef<RunUpdate> subscriber) {
        subscribers.add(subscriber);
        if (!history.isEmpty()) {
            subscriber.tell(new RunUpdate(conversationId, 0, List.copyOf(history), List.copyOf(times)));
        }
    }

    /** Appends a journaled batch to the history (subscribers hear of it through {@link #publish}). */
    void record(JournalBatch batch) {
        Instant at = batch.timeAfter(times.isEmpty() ? null : times.getLast());
        history.addAll(batch.events());
        for (int i = 0; i < batch.events().size(); i++) {
            times.add(at);
        }
    }

    /** Sends subscribers {@code events}, the first of which has index {@code firstIndex} in the history. */
    void publish(long firstIndex, List<? extends RunEvent> events) {
        int from = (int) firstIndex;
        tell(new RunUpdate(
                conversationId,
                firstIndex,
                List.copyOf(events),
                List.copyOf(times.subList(from, from + events.size()))));
    }

    /** Sends subscribers a child run's events, which have no index in this run's history. */
    void forward(List<RunEvent> events) {
        if (!events.isEmpty()) {
            tell(new RunUpdate(conversationId, -1, events, List.of()));
        }
    }

    /** How many events have been journaled. */
    long size() {
        return history.size();
    }

    /** Every event journaled, in order. */
    List<JournalEvent> history() {
        return history;
    }

    /** Who hears a model's tokens as they stream. */
    List<ActorRef<RunUpdate>> tokenListeners() {
        return List.copyOf(subscribers);
    }

    /** The request of model call {@code step}, or null. */
    @Nullable
    LlmRequested request(int step) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i) instanceof LlmRequested requested && requested.step() == step) {
                return requested;
            }
        }
        return null;
    }

    private void tell(RunUpdate update) {
        for (ActorRef<RunUpdate> subscriber : subscribers) {
            subscriber.tell(update);
        }
    }
}
