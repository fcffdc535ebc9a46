package io.troupe.runtime.mechanism;

import io.troupe.api.protocol.Message;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.DecisionRecord.Option;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The state of an open ascending (English) auction between rounds, and its rules. Immutable and pure.
 *
 * <p>Round 1 asks every bidder for at least the reserve. Each later round asks the active bidders other than the
 * leader (whose bid stands) for at least the best bid plus the increment. A bidder stays active by bidding at least
 * the ask, within what it may spend; a refusal, a late answer, no answer, an unreadable bid, a bid below the ask or
 * over budget drops it out for good. The highest bid of a round makes its bidder the leader (equal bids: the bidder
 * first in eligibility order). The auction is over when at most one bidder is active after a round, or after
 * {@code maxRounds} rounds; the leader then wins and pays its own best bid. With no leader (nobody ever bid the
 * reserve) there is no sale.
 *
 * <p>Each round is recorded as a {@code round} decision ({@link #round}), and the state is rebuilt from those records
 * ({@link #after}), so that a bidder's budget is checked once, when its bid is judged, and never judged again.
 *
 * @param bidders every bidder, in eligibility order
 * @param round the rounds done
 * @param active the bidders still in, in eligibility order
 * @param leader the bidder with the best bid so far, or null
 * @param best the best bid so far, or null
 * @param lastBids each bidder's last admitted bid
 * @param dropped why each dropped-out bidder left, with its round
 */
record EnglishAuction(
        List<String> bidders,
        int round,
        List<String> active,
        @Nullable String leader,
        @Nullable BigDecimal best,
        Map<String, BigDecimal> lastBids,
        Map<String, String> dropped) {

    /** The kind of the decision recorded after each round. */
    public static final String ROUND = "round";

    public EnglishAuction {
        bidders = List.copyOf(bidders);
        active = List.copyOf(active);
        lastBids = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(lastBids));
        dropped = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dropped));
        if ((leader == null) != (best == null)) {
            throw new IllegalArgumentException("an English auction has a leader exactly when it has a best bid");
        }
    }

    /** An auction before its first round. */
    public static EnglishAuction open(List<String> bidders) {
        return new EnglishAuction(bidders, 0, bidders, null, null, Map.of(), Map.of());
    }

    /** The lowest acceptable bid of the next round: the reserve at first, then the best bid plus the increment. */
    public BigDecimal ask(BigDecimal reserve, BigDecimal increment) {
        return best == null ? reserve : best.add(increment);
    }

    /** Who the next round's CFP goes to: every active bidder but the leader. */
    public List<String> asked() {
        return active.stream().filter(a -> !a.equals(leader)).toList();
    }

    /** Whether the auction is over: at most one bidder left after a round, or no rounds left. */
    public boolean over(int maxRounds) {
        return round >= maxRounds || (round > 0 && active.size() <= 1);
    }

    /**
     * The record of the next round, given the answers of the {@linkplain #asked() asked} bidders (in that order):
     * each option is scored with its admitted bid or excluded with why it dropped out, and the chosen agent is the
     * round's best bidder (null when nobody bid enough).
     *
     * @param subject the round's CFP id, or null
     * @param budget what each bidder may still spend
     */
    public DecisionRecord round(
            @Nullable String subject,
            List<Answer<AuctionBid>> answers,
            BigDecimal reserve,
            BigDecimal increment,
            Function<String, BigDecimal> budget) {
        BigDecimal ask = ask(reserve, increment);
        List<Answer<AuctionBid>> admitted =
                AuctionRules.admit(answers, ask, round == 0 ? "the reserve" : "the ask", budget);
        List<AuctionBid> bids = new ArrayList<>();
        List<Option> options = new ArrayList<>();
        for (Answer<AuctionBid> answer : admitted) {
            if (answer instanceof Answer.Valid<AuctionBid> valid) {
                bids.add(valid.bid());
                options.add(answer.option(valid.bid().amount()));
            } else {
                options.add(answer.option(null));
            }
        }
        Optional<AuctionBid> top = AuctionRules.highest(bids);
        int number = round + 1;
        String reason = top.map(b -> "round " + number + " asked " + ask.toPlainString() + "; " + b.agent()
                        + " leads with " + b.amount().toPlainString() + "; " + bids.size() + " of " + answers.size()
                        + " stayed in")
                .orElse("round " + number + " asked " + ask.toPlainString() + "; nobody bid enough"
                        + (leader == null ? "" : ", so " + leader + " keeps the lead"));
        return DecisionRecord.of(
                ROUND, subject, "english", options, top.map(AuctionBid::agent).orElse(null), reason);
    }

    /** The state after a round, from its recorded decision. */
    public EnglishAuction after(DecisionRecord round) {
        int number = this.round + 1;
        List<String> stillActive = new ArrayList<>(active);
        Map<String, BigDecimal> bids = new LinkedHashMap<>(lastBids);
        Map<String, String> out = new LinkedHashMap<>(dropped);
        for (Option option : round.options()) {
            if (option.excluded() != null) {
                stillActive.remove(option.agent());
                out.put(option.agent(), "dropped out in round " + number + ": " + option.excluded());
            } else if (option.score() != null) {
                bids.put(option.agent(), option.score());
            }
        }
        String newLeader = leader;
        BigDecimal newBest = best;
        if (round.chosen() != null) {
            newLeader = round.chosen();
            newBest = bids.get(newLeader);
        }
        return new EnglishAuction(bidders, number, stillActive, newLeader, newBest, bids, out);
    }

    /**
     * The final {@code auction} decision: the leader wins and pays its best bid (a payment to {@link
     * Message#COORDINATOR}); every other bidder is listed with its last bid, or why it dropped out.
     */
    public DecisionRecord result(@Nullable String subject, int maxRounds) {
        List<Option> options = new ArrayList<>();
        for (String bidder : bidders) {
            BigDecimal last = lastBids.get(bidder);
            String input = last == null ? null : "{\"amount\":" + last.toPlainString() + "}";
            String why = dropped.get(bidder);
            options.add(why == null ? Option.scored(bidder, input, last) : Option.excluded(bidder, input, why));
        }
        String ending = round >= maxRounds && active.size() > 1
                ? "after the last of " + maxRounds + " rounds"
                : "after round " + round + ", with " + active.size() + " bidder" + (active.size() == 1 ? "" : "s")
                        + " left";
        if (leader == null || best == null) {
            return DecisionRecord.of(
                    "auction", subject, "english", options, null, "no sale " + ending + ": nobody bid the reserve");
        }
        String reason = leader + " wins the english auction " + ending + "; it pays its bid " + best.toPlainString();
        return new DecisionRecord(
                "auction",
                subject,
                "english",
                options,
                leader,
                reason,
                Ledger.pay(
                        leader,
                        Message.COORDINATOR,
                        best,
                        "won the english auction" + (subject == null ? "" : " for message " + subject)));
    }
}
