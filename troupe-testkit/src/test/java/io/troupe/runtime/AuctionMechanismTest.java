package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.MechanismSpec.AuctionType;
import io.troupe.api.team.MechanismSpec.Eligibility;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.mechanism.Auction;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** First-price, Vickrey and English auctions: winner, price, ledger and protocol. */
class AuctionMechanismTest {
    private static final String TASK = "Summarise the quarterly report";
    private static final String REFUSAL = "{\"amount\":0,\"rationale\":\"not for me\",\"refuse\":true}";

    @Test
    void firstPrice_highestBidWinsAndPaysItsOwnBid() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(cfp("bidder A"), bid(2))
                .on(cfp("bidder B"), bid(3))
                .on(cfp("bidder C"), Reply.text(REFUSAL))
                .on(accept("bidder B"), Reply.text("Summary by b."));

        RunRecord run = run(model, team(AuctionType.FIRST_PRICE, "1", 1, null));

        assertThat(run.result()).isEqualTo("Summary by b.");
        List<String> protocol = run.protocol();
        assertThat(protocol.getFirst()).isEqualTo("@team→a,b,c CFP");
        assertThat(protocol.subList(1, 4))
                .containsExactlyInAnyOrder("a→@team PROPOSE", "b→@team PROPOSE", "c→@team REFUSE");
        assertThat(protocol.subList(4, protocol.size()))
                .containsExactly("@team→a REJECT", "@team→b ACCEPT", "b→@team INFORM");
        assertThat(model.requests().getFirst().responseSchema()).isEqualTo(Auction.BID_SCHEMA);
        Message accept = run.messages().get(5);
        assertThat(accept.inReplyTo())
                .isEqualTo(run.firstMessage("b", Performative.PROPOSE).id());
        assertThat(accept.body()).contains(TASK);

        DecisionRecord auction = run.decisions().getFirst();
        assertThat(run.decisions()).hasSize(1);
        assertThat(auction.kind()).isEqualTo("auction");
        assertThat(auction.rule()).isEqualTo("first-price");
        assertThat(auction.subject()).isEqualTo(run.messages().getFirst().id());
        assertThat(auction.chosen()).isEqualTo("b");
        assertThat(auction.options())
                .extracting(DecisionRecord.Option::agent, o -> plain(o.score()), DecisionRecord.Option::excluded)
                .containsExactly(tuple("a", "2", null), tuple("b", "3", null), tuple("c", null, "refused"));
        assertThat(run.balances()).containsExactly(Map.entry("b", "3"), Map.entry("@team", "-3"));
        model.verify();
    }

    @Test
    void vickrey_highestBidWinsAndPaysTheSecondHighest() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(cfp("bidder A"), bid(2))
                .on(cfp("bidder B"), bid(3))
                .on(cfp("bidder C"), bid(0.5))
                .on(accept("bidder B"), Reply.text("Summary by b."));

        RunRecord run = run(model, team(AuctionType.VICKREY, "1", 1, null));

        assertThat(run.result()).isEqualTo("Summary by b.");
        DecisionRecord auction = run.decisions().getFirst();
        assertThat(auction.rule()).isEqualTo("vickrey");
        assertThat(auction.chosen()).isEqualTo("b");
        assertThat(auction.option("c").excluded()).isEqualTo("below the reserve 1: bid 0.5");
        assertThat(auction.reason()).isEqualTo("b bid highest (3) and pays 2 (the second-highest bid or the reserve)");
        assertThat(run.balances()).containsExactly(Map.entry("b", "2"), Map.entry("@team", "-2"));
        // c's bid was below the reserve, but it proposed on time: it is rejected like a.
        assertThat(run.protocol().subList(4, run.protocol().size()))
                .containsExactly("@team→a REJECT", "@team→c REJECT", "@team→b ACCEPT", "b→@team INFORM");
        model.verify();
    }

    @Test
    void vickrey_loneBidderPaysTheReserve() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(cfp("bidder A"), Reply.text(REFUSAL))
                .on(cfp("bidder B"), bid(3))
                .on(cfp("bidder C"), Reply.text(REFUSAL))
                .on(accept("bidder B"), Reply.text("Summary by b."));

        RunRecord run = run(model, team(AuctionType.VICKREY, "1.25", 1, null));

        assertThat(run.decisions().getFirst().chosen()).isEqualTo("b");
        assertThat(run.balances()).containsExactly(Map.entry("b", "1.25"), Map.entry("@team", "-1.25"));
        assertThat(run.protocol().subList(4, run.protocol().size()))
                .containsExactly("@team→b ACCEPT", "b→@team INFORM");
        model.verify();
    }

    @Test
    void bidOverTheBiddersBudget_isExcluded() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(cfp("bidder A"), bid(2))
                .on(cfp("bidder B"), bid(3))
                .on(cfp("bidder C"), bid(4))
                .on(accept("bidder B"), Reply.text("Summary by b."));

        RunRecord run = run(model, team(AuctionType.FIRST_PRICE, "1", 1, new BigDecimal("0.50")));

        DecisionRecord auction = run.decisions().getFirst();
        assertThat(auction.chosen()).isEqualTo("b");
        assertThat(auction.option("c").excluded()).isEqualTo("over budget: bid 4 but may spend only 0.50");
        assertThat(run.balances()).containsExactly(Map.entry("b", "3"), Map.entry("@team", "-3"));
        model.verify();
    }

    @Test
    void noBidAtTheReserve_failsTheRunWithNoSale() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(cfp("bidder A"), bid(0.5))
                .on(cfp("bidder B"), Reply.text(REFUSAL))
                .on(cfp("bidder C"), Reply.text(REFUSAL));

        RunRecord run = run(model, team(AuctionType.FIRST_PRICE, "1", 1, null));

        assertThat(((Outcome.Failed) run.outcome()).reason())
                .isEqualTo("first-price auction: no sale: no bid of at least the reserve 1 within its"
                        + " bidder's budget (a: below the reserve 1: bid 0.5; b: refused; c: refused)");
        assertThat(run.decisions().getFirst().chosen()).isNull();
        assertThat(run.transcript().payments()).isEmpty();
        model.verify();
    }

    @Test
    void english_runsRoundsUntilOneBidderRemainsAndTheLeaderPaysItsBid() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(round("bidder A", 1), bid(1))
                .on(round("bidder B", 1), bid(2))
                .on(round("bidder C", 1), Reply.text(REFUSAL))
                .on(round("bidder A", 2), bid(3))
                .on(round("bidder B", 3), bid(4))
                .on(round("bidder A", 4), Reply.text(REFUSAL))
                .on(accept("bidder B"), Reply.text("Summary by b."));

        RunRecord run = run(model, team(AuctionType.ENGLISH, "1", 5, null));

        assertThat(run.result()).isEqualTo("Summary by b.");
        List<String> protocol = run.protocol();
        assertThat(protocol.getFirst()).isEqualTo("@team→a,b,c CFP");
        assertThat(protocol.subList(4, protocol.size()))
                .containsExactly(
                        "@team→a CFP",
                        "a→@team PROPOSE",
                        "@team→b CFP",
                        "b→@team PROPOSE",
                        "@team→a CFP",
                        "a→@team REFUSE",
                        "@team→a REJECT",
                        "@team→b ACCEPT",
                        "b→@team INFORM");
        // Each round states the ask, in words and as JSON.
        Message third = run.messages().get(6);
        assertThat(third.payload()).isEqualTo("{\"round\":3,\"ask\":4,\"leader\":\"a\",\"best\":3}");
        assertThat(third.body()).contains("round 3 of at most 5").contains("bid at least 4");

        assertThat(run.decisions())
                .extracting(DecisionRecord::kind, DecisionRecord::chosen)
                .containsExactly(
                        tuple("round", "b"),
                        tuple("round", "a"),
                        tuple("round", "b"),
                        tuple("round", null),
                        tuple("auction", "b"));
        DecisionRecord auction = run.decisions().getLast();
        assertThat(auction.rule()).isEqualTo("english");
        assertThat(auction.options())
                .extracting(DecisionRecord.Option::agent, o -> plain(o.score()), DecisionRecord.Option::excluded)
                .containsExactly(
                        tuple("a", null, "dropped out in round 4: refused"),
                        tuple("b", "4", null),
                        tuple("c", null, "dropped out in round 1: refused"));
        assertThat(auction.reason())
                .isEqualTo("b wins the english auction after round 4, with 1 bidder left; it pays" + " its bid 4");
        assertThat(run.balances()).containsExactly(Map.entry("b", "4"), Map.entry("@team", "-4"));
        model.verify();
    }

    @Test
    void english_stopsAfterMaxRoundsAndTheLeaderWins() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(round("bidder A", 1), bid(1))
                .on(round("bidder B", 1), bid(2))
                .on(round("bidder C", 1), Reply.text(REFUSAL))
                .on(round("bidder A", 2), bid(3))
                .on(accept("bidder A"), Reply.text("Summary by a."));

        RunRecord run = run(model, team(AuctionType.ENGLISH, "1", 2, null));

        assertThat(run.result()).isEqualTo("Summary by a.");
        assertThat(run.protocol().subList(4, run.protocol().size()))
                .containsExactly(
                        "@team→a CFP", "a→@team PROPOSE", "@team→b REJECT", "@team→a ACCEPT", "a→@team INFORM");
        DecisionRecord auction = run.decisions().getLast();
        assertThat(auction.chosen()).isEqualTo("a");
        assertThat(auction.option("b").score()).isEqualByComparingTo("2");
        assertThat(auction.reason())
                .isEqualTo("a wins the english auction after the last of 2 rounds; it pays its" + " bid 3");
        assertThat(run.balances()).containsExactly(Map.entry("a", "3"), Map.entry("@team", "-3"));
        model.verify();
    }

    // --- helpers ---

    private static Match cfp(String who) {
        return Match.system(who).and(Match.lastUser("[CFP from coordinator]"));
    }

    private static Match round(String who, int round) {
        return Match.system(who).and(Match.lastUser("English auction, round " + round + " "));
    }

    private static Match accept(String who) {
        return Match.system(who).and(Match.lastUser("[ACCEPT from coordinator]"));
    }

    private static Reply bid(double amount) {
        return Reply.text("{\"amount\":"
                + BigDecimal.valueOf(amount).stripTrailingZeros().toPlainString() + ",\"rationale\":\"worth it\"}");
    }

    private static TeamSpec team(AuctionType type, String reserve, int maxRounds, @Nullable BigDecimal budgetOfC) {
        return TeamSpec.builder("summarisers")
                .members(
                        AgentSpec.of("a", "m", "You are bidder A."),
                        AgentSpec.of("b", "m", "You are bidder B."),
                        AgentSpec.builder("c")
                                .model("m")
                                .instructions("You are bidder C.")
                                .budget(budgetOfC == null ? null : Budget.DEFAULT.withMaxCost(budgetOfC))
                                .build())
                .mechanism(new MechanismSpec.Auction(
                        type,
                        Eligibility.agents("a", "b", "c"),
                        Duration.ofSeconds(10),
                        maxRounds,
                        BigDecimal.ONE,
                        new BigDecimal(reserve)))
                .build();
    }

    private static RunRecord run(ScriptedModel model, TeamSpec team) {
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            return harness.run(team, TASK);
        }
    }

    private static @Nullable String plain(@Nullable BigDecimal value) {
        return value == null ? null : value.stripTrailingZeros().toPlainString();
    }
}
