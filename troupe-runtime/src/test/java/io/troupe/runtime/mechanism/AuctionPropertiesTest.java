package io.troupe.runtime.mechanism;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec.AuctionType;
import io.troupe.api.team.MechanismSpec.Scoring;
import io.troupe.api.team.Payment;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The market rules hold for any bids: winners, prices, rounds, tie-breaks and the ledger. */
class AuctionPropertiesTest {
    private static final BigDecimal UNLIMITED = new BigDecimal("1000000");

    @Property(tries = 200)
    void vickrey_theHighestBidderWinsAndPaysTheSecondHighestOrTheReserve(
            @ForAll("amounts") List<BigDecimal> amounts, @ForAll("money") BigDecimal reserve) {
        List<AuctionBid> admitted = admitted(amounts, reserve);
        Optional<AuctionRules.Sale> sale = AuctionRules.sealed(AuctionType.VICKREY, admitted, reserve);

        assertThat(sale.isPresent()).isEqualTo(!admitted.isEmpty());
        sale.ifPresent(s -> {
            BigDecimal highest = admitted.stream()
                    .map(AuctionBid::amount)
                    .max(BigDecimal::compareTo)
                    .orElseThrow();
            assertThat(s.winner().amount()).isEqualByComparingTo(highest);
            assertThat(s.winner()).isSameAs(firstWith(admitted, highest));
            BigDecimal second = reserve;
            for (AuctionBid bid : admitted) {
                if (bid != s.winner()) {
                    second = second.max(bid.amount());
                }
            }
            assertThat(s.price()).isEqualByComparingTo(second);
            assertThat(s.price()).isBetween(reserve, s.winner().amount());
        });
    }

    @Property(tries = 200)
    void firstPrice_theHighestBidderWinsAndPaysItsOwnBid(
            @ForAll("amounts") List<BigDecimal> amounts, @ForAll("money") BigDecimal reserve) {
        List<AuctionBid> admitted = admitted(amounts, reserve);
        Optional<AuctionRules.Sale> sale = AuctionRules.sealed(AuctionType.FIRST_PRICE, admitted, reserve);

        assertThat(sale.isPresent()).isEqualTo(!admitted.isEmpty());
        sale.ifPresent(s -> {
            assertThat(s.price()).isEqualByComparingTo(s.winner().amount());
            assertThat(admitted).allSatisfy(b -> assertThat(b.amount()).isLessThanOrEqualTo(s.price()));
        });
    }

    @Property(tries = 200)
    void sealedBids_belowTheReserveOrOverBudgetNeverWin(
            @ForAll("amounts") List<BigDecimal> amounts,
            @ForAll("money") BigDecimal reserve,
            @ForAll("money") BigDecimal budget) {
        List<Answer<AuctionBid>> answers = new ArrayList<>();
        for (int i = 0; i < amounts.size(); i++) {
            AuctionBid bid = AuctionBid.of("a" + i, amounts.get(i));
            answers.add(new Answer.Valid<>(bid.agent(), bid, proposal(bid.agent(), bid.json())));
        }
        List<AuctionBid> admitted = valid(AuctionRules.admit(answers, reserve, "the reserve", agent -> budget));

        assertThat(admitted).allSatisfy(b -> assertThat(b.amount()).isBetween(reserve, budget));
        AuctionRules.sealed(AuctionType.VICKREY, admitted, reserve)
                .ifPresent(s -> assertThat(s.winner().amount()).isBetween(reserve, budget));
    }

    @Property(tries = 200)
    void sealedBids_tiesGoToEligibilityOrderWhateverTheArrivalOrder(
            @ForAll("amounts") List<BigDecimal> amounts, @ForAll long seed) {
        List<String> bidders = bidders(amounts.size());
        List<Message> replies = new ArrayList<>();
        for (int i = 0; i < amounts.size(); i++) {
            replies.add(proposal(
                    bidders.get(i),
                    AuctionBid.of(bidders.get(i), amounts.get(i)).json()));
        }
        List<Message> shuffled = new ArrayList<>(replies);
        Collections.shuffle(shuffled, new Random(seed));

        for (AuctionType type : List.of(AuctionType.FIRST_PRICE, AuctionType.VICKREY)) {
            Optional<AuctionRules.Sale> inOrder = AuctionRules.sealed(
                    type, valid(Answer.classify(bidders, replies, m -> false, AuctionBid::parse)), BigDecimal.ZERO);
            Optional<AuctionRules.Sale> shuffledOrder = AuctionRules.sealed(
                    type, valid(Answer.classify(bidders, shuffled, m -> false, AuctionBid::parse)), BigDecimal.ZERO);
            assertThat(shuffledOrder.map(s -> s.winner().agent()))
                    .isEqualTo(inOrder.map(s -> s.winner().agent()));
            assertThat(shuffledOrder.map(AuctionRules.Sale::price)).isEqualTo(inOrder.map(AuctionRules.Sale::price));
        }
    }

    @Property(tries = 200)
    void english_endsWithinMaxRoundsWithTheLastBidderStandingAsWinner(
            @ForAll("amounts") List<BigDecimal> valuations,
            @ForAll("money") BigDecimal reserve,
            @ForAll @IntRange(min = 1, max = 8) int maxRounds,
            @ForAll long seed) {
        BigDecimal increment = BigDecimal.ONE;
        List<String> bidders = bidders(valuations.size());
        Random random = new Random(seed);
        EnglishAuction auction = EnglishAuction.open(bidders);
        while (!auction.over(maxRounds)) {
            BigDecimal ask = auction.ask(reserve, increment);
            List<Answer<AuctionBid>> answers = new ArrayList<>();
            for (String bidder : auction.asked()) {
                BigDecimal valuation = valuations.get(bidders.indexOf(bidder));
                if (ask.compareTo(valuation) <= 0) {
                    // bids the ask, or sometimes jumps up to its valuation
                    AuctionBid bid = AuctionBid.of(bidder, random.nextBoolean() ? ask : valuation);
                    answers.add(new Answer.Valid<>(bidder, bid, proposal(bidder, bid.json())));
                } else {
                    answers.add(new Answer.Excluded<>(bidder, null, "refused", null));
                }
            }
            DecisionRecord round = auction.round(null, answers, reserve, increment, agent -> UNLIMITED);
            auction = auction.after(round);
        }

        assertThat(auction.round()).isBetween(1, maxRounds);
        if (auction.round() < maxRounds) {
            assertThat(auction.active()).hasSizeLessThanOrEqualTo(1);
        }
        DecisionRecord result = auction.result(null, maxRounds);
        boolean anyoneCanPay = valuations.stream().anyMatch(v -> v.compareTo(reserve) >= 0);
        assertThat(result.chosen() != null).isEqualTo(anyoneCanPay);
        if (result.chosen() != null) {
            String winner = result.chosen();
            assertThat(winner).isEqualTo(auction.leader());
            if (auction.active().size() == 1) {
                assertThat(auction.active()).containsExactly(winner);
            }
            BigDecimal price = java.util.Objects.requireNonNull(auction.best());
            assertThat(price).isGreaterThanOrEqualTo(reserve);
            assertThat(price).isLessThanOrEqualTo(valuations.get(bidders.indexOf(winner)));
            // nobody ever bid more than the winner's price
            assertThat(auction.lastBids().values())
                    .allSatisfy(b -> assertThat(b).isLessThanOrEqualTo(price));
            assertBalanced(result.payments(), winner, price);
        } else {
            assertThat(result.payments()).isEmpty();
        }
    }

    @Property(tries = 200)
    void contractNet_neverAwardsARefusingLateSilentOrInvalidBidder(
            @ForAll("contractBids") List<ContractBid> bids, @ForAll("scorings") Scoring scoring, @ForAll long seed) {
        List<String> bidders = bidders(bids.size());
        List<Message> replies = new ArrayList<>();
        Set<String> late = new HashSet<>();
        Set<String> acceptable = new HashSet<>();
        for (int i = 0; i < bids.size(); i++) {
            String agent = bidders.get(i);
            ContractBid bid = bids.get(i);
            Bid written = Bid.of(agent, bid.cost(), bid.confidence());
            switch (bid.kind()) {
                case ON_TIME -> {
                    replies.add(proposal(agent, written.json()));
                    acceptable.add(agent);
                }
                case LATE -> {
                    Message reply = proposal(agent, written.json());
                    late.add(reply.id());
                    replies.add(reply);
                }
                case REFUSE -> replies.add(reply(agent, Performative.REFUSE, "{\"refuse\":true}"));
                case INVALID -> replies.add(proposal(agent, "{\"cost\":\"cheap\"}"));
                case SILENT -> {}
            }
        }
        Collections.shuffle(replies, new Random(seed));
        List<Answer<Bid>> answers = Answer.classify(bidders, replies, m -> late.contains(m.id()), Bid::parse);
        List<Bid> valid = new ArrayList<>();
        answers.forEach(a -> {
            if (a instanceof Answer.Valid<Bid> v) {
                valid.add(v.bid());
            }
        });

        assertThat(valid).extracting(Bid::agent).allMatch(acceptable::contains);
        assertThat(valid).hasSize(acceptable.size());
        Optional<Bid> winner = ContractNetRules.best(valid, scoring, Set.of());
        assertThat(winner.isPresent()).isEqualTo(!acceptable.isEmpty());
        winner.ifPresent(w -> assertThat(acceptable).contains(w.agent()));
    }

    @Property(tries = 200)
    void contractNet_aFailureReawardsToTheNextBestAndTiesAreDeterministic(
            @ForAll("contractBids") List<ContractBid> bids, @ForAll("scorings") Scoring scoring, @ForAll long seed) {
        List<Bid> valid = new ArrayList<>();
        for (int i = 0; i < bids.size(); i++) {
            valid.add(Bid.of("a" + i, bids.get(i).cost(), bids.get(i).confidence()));
        }
        List<Bid> ranked = ContractNetRules.rank(valid, scoring);

        // ties: ranking the bids of a shuffled copy, re-sorted into eligibility order, gives the same order
        List<Bid> shuffled = new ArrayList<>(valid);
        Collections.shuffle(shuffled, new Random(seed));
        shuffled.sort(
                java.util.Comparator.comparing(b -> Integer.parseInt(b.agent().substring(1))));
        assertThat(ContractNetRules.rank(shuffled, scoring)).isEqualTo(ranked);

        // the winner is best by the rule; a failure moves the award to the next in rank
        Bid first = ranked.getFirst();
        for (Bid other : valid) {
            if (scoring == Scoring.LOWEST_COST) {
                assertThat(first.cost()).isLessThanOrEqualTo(other.cost());
            }
        }
        Optional<Bid> next = ContractNetRules.best(valid, scoring, Set.of(first.agent()));
        assertThat(next).isEqualTo(ranked.size() > 1 ? Optional.of(ranked.get(1)) : Optional.empty());
        if (ranked.size() > 2) {
            assertThat(ContractNetRules.best(
                            valid, scoring, Set.of(first.agent(), ranked.get(1).agent())))
                    .contains(ranked.get(2));
        }
    }

    @Property(tries = 200)
    void ledger_alwaysBalancesAndTheWinnerPaysExactlyThePrice(
            @ForAll("amounts") List<BigDecimal> amounts, @ForAll("money") BigDecimal reserve) {
        List<Payment> ledger = new ArrayList<>();
        for (AuctionType type : List.of(AuctionType.FIRST_PRICE, AuctionType.VICKREY)) {
            AuctionRules.sealed(type, admitted(amounts, reserve), reserve).ifPresent(s -> {
                List<Payment> payments = Ledger.pay(s.winner().agent(), Message.COORDINATOR, s.price(), "won");
                assertBalanced(payments, s.winner().agent(), s.price());
                ledger.addAll(payments);
            });
        }
        assertThat(Ledger.balances(ledger).values().stream().reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(BigDecimal.ZERO);
    }

    // --- generators and helpers ---

    enum Kind {
        ON_TIME,
        LATE,
        REFUSE,
        INVALID,
        SILENT
    }

    record ContractBid(BigDecimal cost, BigDecimal confidence, Kind kind) {}

    @Provide
    Arbitrary<BigDecimal> money() {
        // few distinct values, so that ties are frequent
        return Arbitraries.integers().between(0, 20).map(i -> BigDecimal.valueOf(i, 1));
    }

    @Provide
    Arbitrary<List<BigDecimal>> amounts() {
        return money().list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<Scoring> scorings() {
        return Arbitraries.of(Scoring.LOWEST_COST, Scoring.BEST_VALUE, Scoring.LLM_JUDGE);
    }

    @Provide
    Arbitrary<List<ContractBid>> contractBids() {
        Arbitrary<BigDecimal> confidence =
                Arbitraries.integers().between(0, 4).map(i -> BigDecimal.valueOf(i * 25L, 2));
        return Combinators.combine(money(), confidence, Arbitraries.of(Kind.class))
                .as(ContractBid::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(6);
    }

    private static List<String> bidders(int count) {
        List<String> bidders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bidders.add("a" + i);
        }
        return bidders;
    }

    private static List<AuctionBid> admitted(List<BigDecimal> amounts, BigDecimal reserve) {
        List<Answer<AuctionBid>> answers = new ArrayList<>();
        for (int i = 0; i < amounts.size(); i++) {
            AuctionBid bid = AuctionBid.of("a" + i, amounts.get(i));
            answers.add(new Answer.Valid<>(bid.agent(), bid, proposal(bid.agent(), bid.json())));
        }
        return valid(AuctionRules.admit(answers, reserve, "the reserve", agent -> UNLIMITED));
    }

    private static <B> List<B> valid(List<Answer<B>> answers) {
        List<B> bids = new ArrayList<>();
        for (Answer<B> answer : answers) {
            if (answer instanceof Answer.Valid<B> valid) {
                bids.add(valid.bid());
            }
        }
        return bids;
    }

    private static AuctionBid firstWith(List<AuctionBid> bids, BigDecimal amount) {
        return bids.stream()
                .filter(b -> b.amount().compareTo(amount) == 0)
                .findFirst()
                .orElseThrow();
    }

    private static void assertBalanced(List<Payment> payments, String winner, BigDecimal price) {
        Map<String, BigDecimal> balances = Ledger.balances(payments);
        assertThat(balances.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(BigDecimal.ZERO);
        if (price.signum() > 0) {
            assertThat(balances.get(winner)).isEqualByComparingTo(price);
            assertThat(balances.get(Message.COORDINATOR)).isEqualByComparingTo(price.negate());
        } else {
            assertThat(payments).isEmpty();
        }
    }

    private static Message proposal(String agent, String json) {
        return reply(agent, Performative.PROPOSE, json);
    }

    private static Message reply(String agent, Performative performative, String json) {
        return Message.builder()
                .conversationId("c")
                .sender(agent)
                .to(Message.COORDINATOR)
                .inReplyTo("cfp")
                .performative(performative)
                .body(json)
                .payload(json)
                .build();
    }
}
