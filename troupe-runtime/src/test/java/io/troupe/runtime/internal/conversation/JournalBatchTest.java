package io.troupe.runtime.internal.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.model.Usage;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Troupe;
import io.troupe.runtime.TroupeRuntime;
import io.troupe.runtime.internal.node.Node;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;

class JournalBatchTest {
    private static final Instant T0 = Instant.parse("2026-12-06T09:00:00Z");
    private static final JournalEvent DEADLINE = new JournalEvent.DeadlinePassed("m-1", T0.plusSeconds(5));
    private static final JournalEvent END =
            new JournalEvent.RunFinished(new Outcome.Completed("ok", null), Usage.ZERO, 1, T0.plusSeconds(9));
    private static final JournalEvent LATE = new JournalEvent.LlmFailed(3, "ann", "timeout", true);

    @Test
    void timeAfter_batchWithItsOwnTime_isThatTime() {
        assertThat(new JournalBatch(List.of(LATE), T0.plusSeconds(2)).timeAfter(T0.plusSeconds(7)))
                .isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void timeAfter_oldBatchWhoseEventCarriesATime_takesItUnlessItGoesBack() {
        assertThat(new JournalBatch(List.of(END)).timeAfter(T0)).isEqualTo(T0.plusSeconds(9));
        assertThat(new JournalBatch(List.of(DEADLINE)).timeAfter(T0.plusSeconds(6)))
                .isEqualTo(T0.plusSeconds(6));
    }

    @Test
    void timeAfter_oldBatchWithoutATime_takesThePreviousOrTheEpoch() {
        assertThat(new JournalBatch(List.of(LATE)).timeAfter(T0.plusSeconds(3))).isEqualTo(T0.plusSeconds(3));
        assertThat(new JournalBatch(List.of(LATE)).timeAfter(null)).isEqualTo(Instant.EPOCH);
    }

    @Test
    void serializer_batchWrittenBeforeTimesWereRecorded_readsBackWithoutATime() throws Exception {
        Troupe troupe = TroupeRuntime.inMemory(Map.of());
        try {
            Serialization serialization = SerializationExtension.get(((Node) troupe).system());
            JournalBatch timed = new JournalBatch(List.of(LATE), T0);
            Serializer serializer = serialization.findSerializerFor(timed);
            String manifest = Serializers.manifestFor(serializer, timed);
            byte[] bytes = serialization.serialize(timed).get();
            assertThat(serialization
                            .deserialize(bytes, serializer.identifier(), manifest)
                            .get())
                    .isEqualTo(timed);

            // The same batch as journals before this change hold it: CBOR without the "at" field.
            com.fasterxml.jackson.databind.ObjectMapper cbor = new com.fasterxml.jackson.databind.ObjectMapper(
                    new com.fasterxml.jackson.dataformat.cbor.CBORFactory());
            com.fasterxml.jackson.databind.node.ObjectNode tree =
                    (com.fasterxml.jackson.databind.node.ObjectNode) cbor.readTree(bytes);
            assertThat(tree.has("at")).isTrue();
            tree.remove("at");
            Object old = serialization
                    .deserialize(cbor.writeValueAsBytes(tree), serializer.identifier(), manifest)
                    .get();
            assertThat(old).isEqualTo(new JournalBatch(List.of(LATE)));
        } finally {
            troupe.close();
        }
    }
}
