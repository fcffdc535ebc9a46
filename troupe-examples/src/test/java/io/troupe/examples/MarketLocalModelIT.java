package io.troupe.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.runtime.Journal;
import io.troupe.runtime.mechanism.market.Bid;
import io.troupe.runtime.mechanism.market.ContractNetRules;
import io.troupe.runtime.mechanism.market.Parsed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Contract-net on the real stories260K model through llama.cpp: the writers' bids come from grammar-constrained
 * decoding, and the award follows the scoring rule over the bids that were actually made.
 */
class MarketLocalModelIT {
    private static final String STORIES_SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";

    @Test
    void contractNet_onStories260K_bidsParseUnderTheGrammar_andTheAwardFollowsBestValue() {
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
                .contains(ContractNetRules.BID_SCHEMA);

        // Every bid the grammar produced parses as a bid; none needed a repair round.
        List<Bid> bids = new ArrayList<>();
        for (Message reply : messages) {
            if (cfp.id().equals(reply.inReplyTo()) && reply.performative() == Performative.PROPOSE) {
                Parsed<Bid> bid = Bid.parse(reply.sender(), reply.payload());
                assertThat(bid)
                        .as("bid of %s: %s", reply.sender(), reply.payload())
                        .isInstanceOf(Parsed.Ok.class);
                bids.add(((Parsed.Ok<Bid>) bid).value());
            }
        }
        assertThat(bids).extracting(Bid::agent).containsExactlyInAnyOrder("ann", "ben", "cat");
        assertThat(transcript.events()).noneMatch(JournalEvent.AnswerRejected.class::isInstance);

        // The award is the best value among those bids, and the winner's story is the result.
        DecisionRecord award = transcript.decisions().getFirst();
        String expected = ContractNetRules.best(bids, MechanismSpec.Scoring.BEST_VALUE, Set.of())
                .orElseThrow()
                .agent();
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
}
