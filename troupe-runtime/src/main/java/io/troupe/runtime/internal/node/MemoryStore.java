package io.troupe.runtime.internal.node;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.persistence.PersistentRepr;
import org.jspecify.annotations.Nullable;

/**
 * The storage of {@link MemoryJournal}, one per actor system (a Pekko extension, not a global): each persistence
 * id's events, and the events tagged for the run index, so that the node can list runs without a query plugin.
 *
 * <p>It is bounded: once a run has finished, its events are kept only while it is among the {@code keepRuns} most
 * recently finished runs and for at most {@code keepFor}; older finished runs are evicted when another run finishes.
 * Runs in progress are never evicted. Thread-safe.
 */
public final class MemoryStore implements Extension {
    /** The extension's id: {@code MemoryStore.ID.get(system)}. */
    public static final Id ID = new Id();

    private final Map<String, List<PersistentRepr>> events = new ConcurrentHashMap<>();
    /** Tagged events by persistence id, in the order each id was first tagged; guarded by itself. */
    private final Map<String, List<TaggedEvent>> tagged = new LinkedHashMap<>();
    /** Finished runs, oldest first, with when they finished; guarded by itself. */
    private final ArrayDeque<Finished> finished = new ArrayDeque<>();

    private volatile int keepRuns = Integer.MAX_VALUE;
    private volatile long keepForNanos = Long.MAX_VALUE;

    private record TaggedEvent(Set<String> tags, PersistentRepr event) {}

    private record Finished(String persistenceId, long atNanos) {}

    /** Sets how many finished runs the store keeps, and for how long. */
    void retain(int runs, Duration window) {
        this.keepRuns = runs;
        this.keepForNanos = window.toNanos();
    }

    /** The events of {@code persistenceId}, created if needed; synchronize on the list to use it. */
    List<PersistentRepr> events(String persistenceId) {
        return events.computeIfAbsent(persistenceId, id -> new ArrayList<>());
    }

    /** The events of {@code persistenceId}, or null if it has none. */
    @Nullable
    List<PersistentRepr> eventsOrNull(String persistenceId) {
        return events.get(persistenceId);
    }

    void tag(Set<String> tags, PersistentRepr event) {
        if (tags.isEmpty()) {
            return;
        }
        synchronized (tagged) {
            tagged.computeIfAbsent(event.persistenceId(), id -> new ArrayList<>())
                    .add(new TaggedEvent(tags, event));
        }
    }

    /** The events tagged {@code tag}, each persistence id's in write order. */
    public List<PersistentRepr> tagged(String tag) {
        List<PersistentRepr> list = new ArrayList<>();
        synchronized (tagged) {
            for (List<TaggedEvent> run : tagged.values()) {
                for (TaggedEvent event : run) {
                    if (event.tags().contains(tag)) {
                        list.add(event.event());
                    }
                }
            }
        }
        return list;
    }

    /** Records that the run of {@code persistenceId} has finished, and evicts the finished runs past the bounds. */
    void finished(String persistenceId) {
        long now = System.nanoTime();
        List<String> evicted = new ArrayList<>();
        synchronized (finished) {
            finished.addLast(new Finished(persistenceId, now));
            while (!finished.isEmpty()
                    && (finished.size() > keepRuns || now - finished.peekFirst().atNanos() > keepForNanos)) {
                evicted.add(finished.pollFirst().persistenceId());
            }
        }
        for (String id : evicted) {
            events.remove(id);
            synchronized (tagged) {
                tagged.remove(id);
            }
        }
    }

    /** How many journal entries (batches of events) the store holds, over every persistence id. */
    long retainedEvents() {
        long count = 0;
        for (List<PersistentRepr> list : events.values()) {
            synchronized (list) {
                count += list.size();
            }
        }
        return count;
    }

    /** How many persistence ids the store holds events of. */
    int retainedRuns() {
        return events.size();
    }

    /** Creates the store of an actor system. */
    public static final class Id extends AbstractExtensionId<MemoryStore> {
        @Override
        public MemoryStore createExtension(ExtendedActorSystem system) {
            return new MemoryStore();
        }
    }
}
