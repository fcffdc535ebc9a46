package io.troupe.runtime.internal.conversation;

import io.troupe.api.model.TokenSink;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.LlmRequested;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.TokenDelta;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.jspecify.annotations.Nullable;

/**
 * A conversation's history, every event in journal order, and the subscribers who follow it: a late subscriber
 * receives the history first, then each batch as it is journaled. The node's own followers ({@link LocalFollowers})
 * get them by a direct call, others by message. Used only from the entity's thread.
 */
final class Followers {

    private final String conversationId;
    private final LocalFollowers local;
    /** Who receives the run's events, and whether each wants the streamed tokens. */
    private final Map<ActorRef<RunUpdate>, Boolean> subscribers = new LinkedHashMap<>();

    private final List<JournalEvent> history = new ArrayList<>();
    private final List<Instant> times = new ArrayList<>();

    Followers(String conversationId, LocalFollowers local) {
        this.conversationId = conversationId;
        this.local = local;
    }

    /**
     * Adds {@code subscriber}, which wants streamed tokens if {@code tokens} (or if it asked for them before), and
     * sends it the history from position {@code from} on. A node that subscribes again (it follows the run anew, or
     * checks that a run that may have moved still has it) says where it is, and its listeners drop anything they
     * already have.
     */
    void subscribe(ActorRef<RunUpdate> subscriber, boolean tokens, long from) {
        subscribers.merge(subscriber, tokens, Boolean::logicalOr);
        int first = (int) Math.max(0, Math.min(from, history.size()));
        if (first < history.size()) {
            send(
                    subscriber,
                    new RunUpdate(
                            conversationId,
                            first,
                            List.copyOf(history.subList(first, history.size())),
                            List.copyOf(times.subList(first, times.size()))));
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
        if (!subscribers.isEmpty()) {
            int from = (int) firstIndex;
            tell(new RunUpdate(
                    conversationId,
                    firstIndex,
                    List.copyOf(events),
                    List.copyOf(times.subList(from, from + events.size()))));
        }
    }

    /** Sends subscribers a child run's events, which have no index in this run's history. */
    void forward(List<RunEvent> events) {
        if (!events.isEmpty()) {
            tell(new RunUpdate(conversationId, -1, events, List.of()));
        }
    }

    /**
     * When the run last did something: the time of its last event other than a person's decision (which another
     * process may journal while the run waits, stopped); null before the first. From then on the run was waiting for
     * a person or not running, and that time is not its to spend.
     */
    @Nullable
    Instant lastActive() {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (!(history.get(i) instanceof JournalEvent.ApprovalDecided)) {
                return times.get(i);
            }
        }
        return null;
    }

    /** How many events have been journaled. */
    long size() {
        return history.size();
    }

    /** Every event journaled, in order. */
    List<JournalEvent> history() {
        return history;
    }

    /**
     * Where the tokens of the model call {@code requested} go: nowhere if no subscriber wants them, so that the model
     * makes a plain call; a follower on this node gets them directly, the others by message.
     */
    TokenSink tokenSink(LlmRequested requested) {
        List<ActorRef<RunUpdate>> remote = new ArrayList<>();
        boolean direct = false;
        for (Map.Entry<ActorRef<RunUpdate>, Boolean> subscriber : subscribers.entrySet()) {
            if (subscriber.getKey().equals(local.ref())) {
                direct = local.wantsTokens(conversationId);
            } else if (subscriber.getValue()) {
                remote.add(subscriber.getKey());
            }
        }
        if (!direct && remote.isEmpty()) {
            return TokenSink.NONE;
        }
        boolean toLocal = direct;
        return token -> {
            RunUpdate delta = new RunUpdate(
                    conversationId,
                    -1,
                    List.<RunEvent>of(new TokenDelta(requested.step(), requested.agentId(), token)),
                    List.of());
            if (toLocal) {
                local.deliver(delta);
            }
            remote.forEach(subscriber -> subscriber.tell(delta));
        };
    }

    /** Whether any subscriber wants streamed tokens now: then a child run streams too. */
    boolean wantsTokens() {
        for (Map.Entry<ActorRef<RunUpdate>, Boolean> subscriber : subscribers.entrySet()) {
            boolean wants =
                    subscriber.getKey().equals(local.ref()) ? local.wantsTokens(conversationId) : subscriber.getValue();
            if (wants) {
                return true;
            }
        }
        return false;
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
        for (ActorRef<RunUpdate> subscriber : subscribers.keySet()) {
            send(subscriber, update);
        }
    }

    /** Hands {@code update} to a follower on this node directly, and sends it to any other subscriber. */
    private void send(ActorRef<RunUpdate> subscriber, RunUpdate update) {
        if (subscriber.equals(local.ref())) {
            local.deliver(update);
        } else {
            subscriber.tell(update);
        }
    }
}
