package io.troupe.interop.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Performative;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PerformativesTest {
    private final ObjectMapper json = A2a.mapper();

    @Test
    void envelope_writtenAndReadBack_keepsEveryParameter() throws Exception {
        Performatives.Envelope envelope = new Performatives.Envelope(
                Performative.CFP,
                "run-1",
                "cfp-1",
                "earlier",
                Instant.parse("2025-10-28T10:30:00.123Z"),
                json.readTree("{\"type\":\"object\"}"),
                new Usage(10, 5, new BigDecimal("0.002")));

        ObjectNode metadata = envelope.toMetadata(json);

        assertThat(metadata.path(Performatives.URI).path("replyBy").asText()).isEqualTo("2025-10-28T10:30:00.123Z");
        assertThat(Performatives.read(metadata)).isEqualTo(envelope);
    }

    @Test
    void read_withoutTheExtensionOrWithAnUnknownPerformative_isNull() throws Exception {
        assertThat(Performatives.read(json.readTree("{\"other/ext\": {\"performative\": \"CFP\"}}")))
                .isNull();
        assertThat(Performatives.read(json.readTree("{\"" + Performatives.URI + "\": {\"performative\": \"HAGGLE\"}}")))
                .isNull();
        assertThat(Performatives.read(json.readTree("{\"" + Performatives.URI + "\": \"CFP\"}")))
                .isNull();
    }

    @Test
    void read_ignoresAMalformedReplyByAndNegativeUsage() throws Exception {
        Performatives.Envelope read = Performatives.read(json.readTree("{\"" + Performatives.URI + "\": {"
                + "\"performative\": \"propose\", \"replyBy\": \"tomorrow\", \"usage\": {\"inputTokens\": -1}}}"));
        assertThat(read).isNotNull();
        assertThat(read.performative()).isEqualTo(Performative.PROPOSE);
        assertThat(read.replyBy()).isNull();
        assertThat(read.usage()).isNull();
    }

    @Test
    void theBidSchema_isTheContractNetsOwn() {
        assertThat(Performatives.BID_SCHEMA).isEqualTo(io.troupe.runtime.mechanism.ContractNet.BID_SCHEMA);
    }
}
