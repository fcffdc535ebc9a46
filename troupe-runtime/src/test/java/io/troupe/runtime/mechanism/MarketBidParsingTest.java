package io.troupe.runtime.mechanism;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bids are read strictly, and every problem becomes the reason the bidder is excluded. */
class MarketBidParsingTest {

    @Test
    void contractNetBid_readsEveryField() {
        Parsed<Bid> parsed =
                Bid.parse("a", " {\"cost\":1.50,\"eta\":\"2h\",\"confidence\":0.8,\"rationale\":\"easy\"} ");

        Bid bid = ((Parsed.Ok<Bid>) parsed).value();
        assertThat(bid.agent()).isEqualTo("a");
        assertThat(bid.cost()).isEqualByComparingTo("1.5");
        assertThat(bid.eta()).isEqualTo("2h");
        assertThat(bid.confidence()).isEqualByComparingTo("0.8");
        assertThat(bid.rationale()).isEqualTo("easy");
        assertThat(bid.json()).isEqualTo("{\"cost\":1.50,\"eta\":\"2h\",\"confidence\":0.8,\"rationale\":\"easy\"}");
    }

    @Test
    void contractNetBid_reportsEveryProblemAtOnce() {
        Parsed<Bid> parsed = Bid.parse("a", "{\"cost\":\"cheap\",\"confidence\":1.5,\"rationale\":\"x\",\"price\":3}");

        assertThat(((Parsed.Invalid<Bid>) parsed).problem())
                .isEqualTo("unknown field 'price'; 'cost' must be a number, got \"cheap\"; 'eta' is missing;"
                        + " 'confidence' must be between 0 and 1, got 1.5");
    }

    @Test
    void contractNetBid_thatIsNotJsonOrRefuses_isNoBid() {
        assertThat(((Parsed.Invalid<Bid>) Bid.parse("a", "I bid 3 dollars")).problem())
                .startsWith("the answer is not valid JSON (");
        assertThat(((Parsed.Invalid<Bid>) Bid.parse("a", "[1]")).problem())
                .isEqualTo("the answer is not a JSON object");
        assertThat(((Parsed.Invalid<Bid>) Bid.parse("a", null)).problem()).isEqualTo("no JSON answer");
        assertThat(((Parsed.Invalid<Bid>) Bid.parse(
                                "a", "{\"cost\":0,\"eta\":\"\",\"confidence\":0,\"rationale\":\"\",\"refuse\":true}"))
                        .problem())
                .isEqualTo("the bid says \"refuse\": true");
    }

    @Test
    void auctionBid_mustBeANonNegativeAmount() {
        assertThat(((Parsed.Ok<AuctionBid>) AuctionBid.parse("a", "{\"amount\":2,\"rationale\":\"r\"}"))
                        .value()
                        .amount())
                .isEqualByComparingTo("2");
        assertThat(((Parsed.Invalid<AuctionBid>) AuctionBid.parse("a", "{\"amount\":-1,\"rationale\":\"r\"}"))
                        .problem())
                .isEqualTo("'amount' must be at least 0, got -1");
    }

    @Test
    void managerPlanAndJudgeVerdict_areReadStrictly() {
        assertThat(((Parsed.Ok<List<String>>) ContractNetRules.subtasks("{\"subtasks\":[\"one\",\"two\"]}")).value())
                .containsExactly("one", "two");
        assertThat(((Parsed.Invalid<List<String>>) ContractNetRules.subtasks("{\"subtasks\":[]}")).problem())
                .isEqualTo("'subtasks' must hold 1 to 8 items, got 0");
        assertThat(((Parsed.Invalid<ContractNetRules.Verdict>)
                                ContractNetRules.verdict("{\"winner\":\"z\",\"reason\":\"r\"}", List.of("a", "b")))
                        .problem())
                .isEqualTo("the judge named 'z', who is not among the valid bidders [a, b]");
    }

    @Test
    void bestValue_ranksAFreeBidFirstAndBreaksTiesByEligibilityOrder() {
        List<Bid> bids = List.of(
                Bid.of("a", new BigDecimal("2"), new BigDecimal("0.5")),
                Bid.of("b", new BigDecimal("1"), new BigDecimal("0.25")),
                Bid.of("c", BigDecimal.ZERO, new BigDecimal("0.1")),
                Bid.of("d", new BigDecimal("2"), new BigDecimal("0.5")));

        assertThat(ContractNetRules.rank(bids, io.troupe.api.team.MechanismSpec.Scoring.BEST_VALUE))
                .extracting(Bid::agent)
                .containsExactly(
                        "c", "a", "d", "b"); // a and b tie on value: a is surer; a and d tie: a is listed first
        assertThat(ContractNetRules.rank(bids, io.troupe.api.team.MechanismSpec.Scoring.LOWEST_COST))
                .extracting(Bid::agent)
                .containsExactly("c", "b", "a", "d");
    }

    @Test
    void bestValue_aBidWithNoConfidenceIsWorthNothing_evenWhenFree() {
        List<Bid> bids = List.of(
                Bid.of("a", BigDecimal.ZERO, BigDecimal.ZERO),
                Bid.of("b", new BigDecimal("10"), new BigDecimal("0.1")),
                Bid.of("c", new BigDecimal("1"), BigDecimal.ZERO));

        assertThat(ContractNetRules.rank(bids, io.troupe.api.team.MechanismSpec.Scoring.BEST_VALUE))
                .extracting(Bid::agent)
                .containsExactly("b", "a", "c"); // a and c are both worth 0 with equal confidence: a is listed first
        assertThat(ContractNetRules.score(bids.getFirst(), io.troupe.api.team.MechanismSpec.Scoring.BEST_VALUE))
                .isZero();
    }
}
