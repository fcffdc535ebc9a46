package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.TeamSpec;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A contract-net run stopped after its award resumes on a new runtime with the same award: the decision was journaled
 * before the ACCEPT went out, so the bidders are not asked again and the winner does not change.
 */
class MarketRecoveryIT {
    private static final TeamSpec TEAM = TeamSpec.builder("translation")
            .members(
                    AgentSpec.of("a", "m", "You are bidder A."),
                    AgentSpec.of("b", "m", "You are bidder B."),
                    AgentSpec.of("c", "m", "You are bidder C."))
            .mechanism(new MechanismSpec.ContractNet(
                    MechanismSpec.Eligibility.agents("a", "b", "c"),
                    MechanismSpec.Scoring.LOWEST_COST,
                    null,
                    Duration.ofSeconds(30),
                    MechanismSpec.OnFailure.NEXT_BEST,
                    3,
                    null))
            .build();

    @Test
    void runStoppedWhileTheContractorWorks_resumesWithTheJournaledAward(@TempDir Path dir) throws Exception {
        CountDownLatch contractorCalled = new CountDownLatch(1);
        ScriptedModel first = ScriptedModel.unordered()
                .on(Match.system("bidder A").and(Match.lastUser("Call for proposals")), Reply.text(bid(30)))
                .on(Match.system("bidder B").and(Match.lastUser("Call for proposals")), Reply.text(bid(20)))
                .on(Match.system("bidder C").and(Match.lastUser("Call for proposals")), Reply.text(bid(25)))
                .on(Match.system("bidder B"), Reply.hang(contractorCalled::countDown));
        String id;
        try (Troupe troupe = runtime(dir, first).start()) {
            RunHandle run = troupe.run(TEAM, "Translate the menu");
            id = run.conversationId();
            assertThat(contractorCalled.await(30, TimeUnit.SECONDS)).isTrue();
        }

        ScriptedModel second = new ScriptedModel().on(Match.system("bidder B"), Reply.text("Menyen er oversatt."));
        Transcript transcript;
        try (Troupe troupe = runtime(dir, second).start()) {
            // The runtime resumes the run by itself: the contractor's call is issued again, and nothing else.
            transcript = await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () -> troupe.replay(id).toCompletableFuture().join(),
                            t -> t.outcome().isPresent());
        }

        assertThat(transcript.outcome()).contains(new Outcome.Completed("Menyen er oversatt.", null));
        second.verify();
        assertThat(transcript.decisions())
                .extracting(DecisionRecord::kind, DecisionRecord::chosen)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("award", "b"),
                        org.assertj.core.groups.Tuple.tuple("payment", "b"));
        // Three bids and one contractor step, whose call was issued again under the same step after the restart.
        assertThat(transcript.events())
                .filteredOn(JournalEvent.LlmRequested.class::isInstance)
                .hasSize(4);
        assertThat(transcript.events())
                .filteredOn(JournalEvent.LlmCompleted.class::isInstance)
                .hasSize(4);
        assertThat(transcript.balances()).containsEntry("b", new java.math.BigDecimal("-20"));
    }

    private static String bid(int cost) {
        return "{\"cost\":" + cost + ",\"eta\":\"1h\",\"confidence\":0.9,\"rationale\":\"fluent\"}";
    }

    private static TroupeRuntime.Builder runtime(Path dir, ScriptedModel model) {
        return TroupeRuntime.builder()
                .model("m", model)
                .journal(Journal.h2(dir.resolve("journal")))
                .config(TroupeHarness.TEST_CONFIG);
    }
}
