package io.troupe.runtime.internal.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.persistence.PersistentRepr;

/**
 * The storage of {@link MemoryJournal}, one per actor system (a Pekko extension, not a global): each persistence
 * id's events, and the events tagged for the run index, so that the node can list runs without a query plugin.
 * Thread-safe.
 */
public final class MemoryStore implements Extension {
    /** The extension's id: {@code MemoryStore.ID.get(system)}. */
    public static final Id ID = new Id();

    private final Map<String, List<PersistentRepr>> events = new ConcurrentHashMap<>();
    /** Tagged events, by tag, in write order. */
    private final Map<String, List<PersistentRepr>> tagged = new ConcurrentHashMap<>();

    /** The events of {@code persistenceId}, created if needed; synchronize on the list to use it. */
    List<PersistentRepr> events(String persistenceId) {
        return events.computeIfAbsent(persistenceId, id -> new ArrayList<>());
    }

    /** The events of {@code persistenceId}, or null if it has none. */
    List<PersistentRepr> eventsOrNull(String persistenceId) {
        return events.get(persistenceId);
    }

    void tag(Set<String> tags, PersistentRepr event) {
        for (String tag : tags) {
            List<PersistentRepr> list = tagged.computeIfAbsent(tag, t -> new ArrayList<>());
            synchronized (list) {
                list.add(event);
            }
        }
    }

    /** The events tagged {@code tag}, in write order. */
    public List<PersistentRepr> tagged(String tag) {
        List<PersistentRepr> list = tagged.get(tag);
        if (list == null) {
            return List.of();
        }
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    /** Creates the store of an actor system. */
    public static final class Id extends AbstractExtensionId<MemoryStore> {
        @Override
        public MemoryStore createExtension(ExtendedActorSystem system) {
            return new MemoryStore();
        }
    }
}
