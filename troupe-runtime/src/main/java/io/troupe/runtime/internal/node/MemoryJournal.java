package io.troupe.runtime.internal.node;

import com.typesafe.config.Config;
import io.troupe.api.run.JournalEvent;
import io.troupe.runtime.internal.conversation.JournalBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Troupe's in-memory journal: each persistence id's events in a list, in memory, with the runs in progress and a
 * bounded number of finished ones ({@code keep-finished-runs}, {@code keep-finished-for}; see {@link MemoryStore}).
 *
 * <p>It replaces Pekko's {@code InmemJournal}, which copies an immutable map on every write. Its storage is the
 * actor system's {@link MemoryStore}, which also indexes tagged events for the run index. With
 * {@code test-serialization = on} every event is serialized and read back before it is stored, so that tests
 * prove each event survives a real journal.
 */
public final class MemoryJournal extends AsyncWriteJournal {
    private final MemoryStore store;
    private final boolean testSerialization;

    public MemoryJournal(Config config) {
        this.store = MemoryStore.ID.get(context().system());
        this.testSerialization = config.hasPath("test-serialization") && config.getBoolean("test-serialization");
        store.retain(config.getInt("keep-finished-runs"), config.getDuration("keep-finished-for"));
    }

    @Override
    public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> writes) {
        List<Optional<Exception>> results = new ArrayList<>();
        for (AtomicWrite write : writes) {
            List<PersistentRepr> events = store.events(write.persistenceId());
            try {
                List<PersistentRepr> batch = new ArrayList<>();
                for (PersistentRepr event : CollectionConverters.asJava(write.payload())) {
                    Set<String> tags = Set.of();
                    if (event.payload() instanceof Tagged tagged) {
                        // Stored untagged, as replay must give back the event itself; the tags go to the index.
                        tags = CollectionConverters.asJava(tagged.tags());
                        event = event.withPayload(tagged.payload());
                    }
                    PersistentRepr stored = testSerialization ? roundTrip(event) : event;
                    batch.add(stored);
                    store.tag(tags, stored);
                }
                synchronized (events) {
                    events.addAll(batch);
                }
                results.add(Optional.empty());
                if (finishesRun(batch)) {
                    store.finished(write.persistenceId());
                }
            } catch (Exception e) {
                results.add(Optional.of(e)); // rejected: the batch is not stored
            }
        }
        return Futures.successful(results);
    }

    @Override
    public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
        List<PersistentRepr> events = store.eventsOrNull(persistenceId);
        if (events != null) {
            synchronized (events) {
                events.removeIf(e -> e.sequenceNr() <= toSequenceNr);
            }
        }
        return Futures.successful(null);
    }

    @Override
    public Future<Void> doAsyncReplayMessages(
            String persistenceId, long fromSequenceNr, long toSequenceNr, long max, Consumer<PersistentRepr> replay) {
        List<PersistentRepr> events = store.eventsOrNull(persistenceId);
        if (events != null) {
            List<PersistentRepr> selected = new ArrayList<>();
            synchronized (events) {
                for (PersistentRepr event : events) {
                    if (selected.size() >= max) {
                        break;
                    }
                    if (event.sequenceNr() >= fromSequenceNr && event.sequenceNr() <= toSequenceNr) {
                        selected.add(event);
                    }
                }
            }
            selected.forEach(replay);
        }
        return Futures.successful(null);
    }

    @Override
    public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
        List<PersistentRepr> events = store.eventsOrNull(persistenceId);
        if (events == null) {
            return Futures.successful(0L);
        }
        synchronized (events) {
            return Futures.successful(events.isEmpty() ? 0L : events.getLast().sequenceNr());
        }
    }

    private static boolean finishesRun(List<PersistentRepr> batch) {
        for (PersistentRepr event : batch) {
            if (event.payload() instanceof JournalBatch journaled
                    && journaled.events().stream().anyMatch(JournalEvent.RunFinished.class::isInstance)) {
                return true;
            }
        }
        return false;
    }

    private PersistentRepr roundTrip(PersistentRepr event) throws Exception {
        Serialization serialization = SerializationExtension.get(context().system());
        Object payload = event.payload();
        Serializer serializer = serialization.findSerializerFor(payload);
        byte[] bytes = serialization.serialize(payload).get();
        Object back = serialization
                .deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, payload))
                .get();
        if (!back.equals(payload)) {
            throw new IllegalStateException("event " + payload + " changed in serialization: " + back);
        }
        return event.withPayload(back);
    }
}
