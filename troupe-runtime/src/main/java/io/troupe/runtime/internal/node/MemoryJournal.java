package io.troupe.runtime.internal.node;

import com.typesafe.config.Config;
import io.troupe.api.run.JournalEvent;
import io.troupe.runtime.internal.conversation.JournalBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.DeleteMessagesSuccess;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.NonPersistentRepr;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Troupe's in-memory journal: each persistence id's events in a list, in memory, with the runs in progress and a
 * bounded number of finished ones ({@code keep-finished-runs}, {@code keep-finished-for}; see {@link MemoryStore}).
 *
 * <p>It answers Pekko's journal protocol itself, at once and in order, instead of extending {@code
 * AsyncWriteJournal}: that base class suits journals whose writes complete later (a database), and routes every
 * reply through a future callback, a circuit breaker and a resequencer actor, three more hand-offs between threads
 * for each step of each run. Here a write is stored when its message is handled, so the replies follow it directly:
 * {@code WriteMessagesSuccessful}, then a {@code WriteMessageSuccess} per event, as {@code AsyncWriteJournal} sends
 * them. Its storage is the actor system's {@link MemoryStore}, which also indexes tagged events for the run index.
 * With {@code test-serialization = on} every event is serialized and read back before it is stored, so that tests
 * prove each event survives a real journal; an event that does not is rejected.
 */
public final class MemoryJournal extends AbstractActor {
    private final MemoryStore store;
    private final boolean testSerialization;

    /** The constructor Pekko calls with the plugin's configuration. */
    public MemoryJournal(Config config) {
        this.store = MemoryStore.ID.get(context().system());
        this.testSerialization = config.hasPath("test-serialization") && config.getBoolean("test-serialization");
        store.retain(config.getInt("keep-finished-runs"), config.getDuration("keep-finished-for"));
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder()
                .match(JournalProtocol.WriteMessages.class, this::write)
                .match(JournalProtocol.ReplayMessages.class, this::replay)
                .match(JournalProtocol.DeleteMessagesTo.class, this::delete)
                .build();
    }

    private void write(JournalProtocol.WriteMessages write) {
        ActorRef writer = write.persistentActor();
        int instance = write.actorInstanceId();
        writer.tell(JournalProtocol.WriteMessagesSuccessful$.MODULE$, self());
        for (PersistentEnvelope envelope : CollectionConverters.asJava(write.messages())) {
            switch (envelope) {
                case AtomicWrite atomic -> {
                    List<PersistentRepr> written = CollectionConverters.asJava(atomic.payload());
                    Exception rejected = store(atomic.persistenceId(), written);
                    for (PersistentRepr event : written) {
                        writer.tell(
                                rejected == null
                                        ? new JournalProtocol.WriteMessageSuccess(event, instance)
                                        : new JournalProtocol.WriteMessageRejected(event, rejected, instance),
                                event.sender());
                    }
                }
                case NonPersistentRepr loop ->
                    writer.tell(new JournalProtocol.LoopMessageSuccess(loop.payload(), instance), loop.sender());
                default -> throw new IllegalStateException("unexpected journal write " + envelope);
            }
        }
    }

    /** Stores one atomic write, all or nothing; returns why it was rejected, or null. */
    private Exception store(String persistenceId, List<PersistentRepr> written) {
        List<PersistentRepr> batch = new ArrayList<>(written.size());
        List<Set<String>> tags = new ArrayList<>(written.size());
        try {
            for (PersistentRepr event : written) {
                Set<String> eventTags = Set.of();
                if (event.payload() instanceof Tagged tagged) {
                    // Stored untagged, as replay must give back the event itself; the tags go to the index.
                    eventTags = CollectionConverters.asJava(tagged.tags());
                    event = event.withPayload(tagged.payload());
                }
                batch.add(testSerialization ? roundTrip(event) : event);
                tags.add(eventTags);
            }
        } catch (Exception e) {
            return e; // rejected: the batch is not stored
        }
        List<PersistentRepr> events = store.events(persistenceId);
        synchronized (events) {
            events.addAll(batch);
        }
        for (int i = 0; i < batch.size(); i++) {
            store.tag(tags.get(i), batch.get(i));
        }
        if (finishesRun(batch)) {
            store.finished(persistenceId);
        }
        return null;
    }

    private void replay(JournalProtocol.ReplayMessages replay) {
        ActorRef to = replay.persistentActor();
        List<PersistentRepr> events = store.eventsOrNull(replay.persistenceId());
        long highest = 0;
        List<PersistentRepr> selected = new ArrayList<>();
        if (events != null) {
            synchronized (events) {
                highest = events.isEmpty() ? 0 : events.getLast().sequenceNr();
                long upTo = Math.min(replay.toSequenceNr(), highest);
                for (PersistentRepr event : events) {
                    if (selected.size() >= replay.max()) {
                        break;
                    }
                    if (event.sequenceNr() >= replay.fromSequenceNr() && event.sequenceNr() <= upTo) {
                        selected.add(event);
                    }
                }
            }
        }
        for (PersistentRepr event : selected) {
            to.tell(new JournalProtocol.ReplayedMessage(event), ActorRef.noSender());
        }
        to.tell(new JournalProtocol.RecoverySuccess(highest), self());
    }

    private void delete(JournalProtocol.DeleteMessagesTo delete) {
        List<PersistentRepr> events = store.eventsOrNull(delete.persistenceId());
        if (events != null) {
            synchronized (events) {
                events.removeIf(e -> e.sequenceNr() <= delete.toSequenceNr());
            }
        }
        delete.persistentActor().tell(new DeleteMessagesSuccess(delete.toSequenceNr()), self());
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
