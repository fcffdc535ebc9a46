package io.troupe.runtime.mechanism;

import io.troupe.api.team.MechanismSpec.AuctionType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The rules of sealed-bid auctions (first-price and Vickrey) and the bid checks every auction shares. Pure
 * functions; the English auction's rounds are in {@link EnglishAuction}.
 *
 * <p>A bid is admitted when it is at least the floor (the reserve, or the ask of an English round) and at most what
 * its bidder may still spend. The highest admitted bid wins; equal bids go to the bidder first in eligibility order.
 * First-price: the winner pays its own bid. Vickrey: the winner pays the highest other admitted bid, but never less
 * than the reserve; a lone bidder pays the reserve.
 */
final class AuctionRules {
    /** The JSON schema of an auction bid, given to bidders with the CFP. Flat, for small local models. */
    public static final String BID_SCHEMA = """
            {"type":"object",\
            "properties":{\
            "amount":{"type":"number","minimum":0,"description":"what you offer to pay, in US dollars"},\
            "rationale":{"type":"string","description":"why this bid, in one sentence"},\
            "refuse":{"type":"boolean","description":"true to not bid"}},\
            "required":["amount","rationale"],\
            "additionalProperties":false}""";

    private AuctionRules() {}

    /** The rule's name in decision records: {@code first-price}, {@code vickrey} or {@code english}. */
    public static String ruleName(AuctionType type) {
        return switch (type) {
            case FIRST_PRICE -> "first-price";
            case VICKREY -> "vickrey";
            case ENGLISH -> "english";
        };
    }

    /**
     * The answers with every valid bid below {@code floor} or above its bidder's {@code budget} excluded, in the same
     * order.
     *
     * @param floorName what the floor is, for the reason: {@code "the reserve"} or {@code "the ask"}
     */
    public static List<Answer<AuctionBid>> admit(
            List<Answer<AuctionBid>> answers, BigDecimal floor, String floorName, Function<String, BigDecimal> budget) {
        List<Answer<AuctionBid>> admitted = new ArrayList<>(answers.size());
        for (Answer<AuctionBid> answer : answers) {
            if (answer instanceof Answer.Valid<AuctionBid> valid) {
                BigDecimal amount = valid.bid().amount();
                BigDecimal limit = budget.apply(valid.agent());
                if (amount.compareTo(floor) < 0) {
                    answer = new Answer.Excluded<>(
                            valid.agent(),
                            valid.bid().json(),
                            "below " + floorName + " " + floor.toPlainString() + ": bid " + amount.toPlainString(),
                            valid.proposal());
                } else if (amount.compareTo(limit) > 0) {
                    answer = new Answer.Excluded<>(
                            valid.agent(),
                            valid.bid().json(),
                            "over budget: bid " + amount.toPlainString() + " but may spend only "
                                    + limit.toPlainString(),
                            valid.proposal());
                }
            }
            admitted.add(answer);
        }
        return List.copyOf(admitted);
    }

    /** The highest bid; equal bids go to the one first in {@code bids}, which must be in eligibility order. */
    public static Optional<AuctionBid> highest(List<AuctionBid> bids) {
        AuctionBid best = null;
        for (AuctionBid bid : bids) {
            if (best == null || bid.amount().compareTo(best.amount()) > 0) {
                best = bid;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The winner and its price in a sealed-bid auction over the admitted {@code bids} (in eligibility order), or
     * empty when there is none. An English auction is not sealed: use {@link EnglishAuction}.
     */
    public static Optional<Sale> sealed(AuctionType type, List<AuctionBid> bids, BigDecimal reserve) {
        Optional<AuctionBid> highest = highest(bids);
        if (highest.isEmpty()) {
            return Optional.empty();
        }
        AuctionBid winner = highest.get();
        BigDecimal price = switch (type) {
            case FIRST_PRICE -> winner.amount();
            case VICKREY -> {
                BigDecimal second = reserve;
                for (AuctionBid bid : bids) {
                    if (bid != winner && bid.amount().compareTo(second) > 0) {
                        second = bid.amount();
                    }
                }
                yield second;
            }
            case ENGLISH ->
                throw new IllegalArgumentException(
                        "an English auction is decided round by round; use EnglishAuction, not sealed()");
        };
        return Optional.of(new Sale(winner, price));
    }

    /** The outcome of an auction: the winning bid and the price its bidder pays. */
    public record Sale(AuctionBid winner, BigDecimal price) {}
}
