package io.troupe.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.DecisionRecord;
import io.troupe.runtime.Journal;
import io.troupe.runtime.mechanism.ContractNet;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Contract-net on the real stories260K model through llama.cpp: the writers' bids come from grammar-constrained
 * decoding, and the award follows the scoring rule over the bids that were actually made.
 */
class MarketLocalModelIT {
    private static final String STORIES_SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

    @Test
    void contractNet_onStories260K_bidsParseUnderTheGrammar_andTheAwardFollowsBestValue() throws Exception {
        Transcript transcript = AuctionWorkshop.withTroupe(stories(), STORIES_SHA256, Journal.inMemory(), troupe -> {
            var run = troupe.run(AuctionWorkshop.team("tiny"), "Once upon a time");
            run.outcome().toCompletableFuture().join();
            return troupe.replay(run.conversationId()).toCompletableFuture().join();
        });

        List<Message> messages = transcript.messages();
        Message cfp = messages.getFirst();
        assertThat(cfp.performative()).isEqualTo(Performative.CFP);
        assertThat(transcript.events())
                .filteredOn(JournalEvent.LlmRequested.class::isInstance)
                .map(e -> ((JournalEvent.LlmRequested) e).request().responseSchema())
                .contains(ContractNet.BID_SCHEMA);

        // Every bid the grammar produced is a bid (a non-negative cost, a confidence in [0, 1], an eta and a
        // rationale); none needed a repair round.
        Map<String, JsonNode> bids = new LinkedHashMap<>();
        for (Message reply : messages) {
            if (cfp.id().equals(reply.inReplyTo()) && reply.performative() == Performative.PROPOSE) {
                JsonNode bid = JSON.readTree(reply.payload());
                assertThat(bid.path("cost").isNumber()
                                && bid.path("cost").decimalValue().signum() >= 0)
                        .as("cost of %s", reply.payload())
                        .isTrue();
                BigDecimal confidence = bid.path("confidence").decimalValue();
                assertThat(confidence)
                        .as("confidence of %s", reply.payload())
                        .isBetween(BigDecimal.ZERO, BigDecimal.ONE);
                assertThat(bid.path("eta").isTextual() && bid.path("rationale").isTextual())
                        .isTrue();
                bids.put(reply.sender(), bid);
            }
        }
        assertThat(bids.keySet()).containsExactlyInAnyOrder("ann", "ben", "cat");
        assertThat(transcript.events()).noneMatch(JournalEvent.AnswerRejected.class::isInstance);

        // The award is the best value among those bids (confidence per dollar; a free bid with some confidence
        // beats all; ties go to the first eligible), and the winner's story is the result.
        DecisionRecord award = transcript.decisions().getFirst();
        String expected = bestValue(bids);
        assertThat(award.kind()).isEqualTo("award");
        assertThat(award.chosen()).isEqualTo(expected);
        assertThat(transcript.decisionsFor(expected)).contains(award);
        Message story = messages.stream()
                .filter(m -> m.sender().equals(expected) && m.performative() == Performative.INFORM)
                .findFirst()
                .orElseThrow();
        assertThat(transcript.outcome()).contains(new Outcome.Completed(story.body(), null));
        assertThat(story.body()).isNotBlank();
    }

    private static Path stories() {
        String dir = System.getenv("TROUPE_MODEL_DIR");
        if (dir == null || dir.isBlank()) {
            dir = System.getProperty("troupe.model.dir", "");
        }
        Path file = Path.of(dir).toAbsolutePath().resolve("stories260K.gguf");
        assertThat(Files.isRegularFile(file))
                .as("set TROUPE_MODEL_DIR to the directory that holds stories260K.gguf, not " + file)
                .isTrue();
        return file;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The best-value winner, computed from the mechanism's documented rule as an independent check. */
    private static String bestValue(Map<String, JsonNode> bids) {
        String best = null;
        double bestValue = -1;
        for (String agent : List.of("ann", "ben", "cat")) {
            JsonNode bid = bids.get(agent);
            double cost = bid.path("cost").doubleValue();
            double confidence = bid.path("confidence").doubleValue();
            double value = confidence == 0 ? 0 : cost == 0 ? Double.POSITIVE_INFINITY : confidence / cost;
            if (value > bestValue) {
                best = agent;
                bestValue = value;
            }
        }
        return best;
    }
}
