package io.troupe.runtime.mechanism;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An auction bid: what a bidder offers to pay for the right to do the task. Bidders answer a CFP with JSON following
 * {@link AuctionRules#BID_SCHEMA}; {@link #parse} reads it.
 *
 * @param agent the bidder
 * @param amount the amount offered, in US dollars, at least 0; the winner's price is charged to its budget
 * @param rationale why this bid, in the bidder's words
 * @param json the bid as the bidder sent it
 */
record AuctionBid(String agent, BigDecimal amount, String rationale, String json) {
    private static final Set<String> FIELDS = Set.of("amount", "rationale", "refuse");

    public AuctionBid {
        Objects.requireNonNull(agent, "AuctionBid agent");
        Objects.requireNonNull(rationale, "AuctionBid rationale");
        Objects.requireNonNull(json, "AuctionBid json");
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("AuctionBid amount must not be negative, got " + amount.toPlainString());
        }
    }

    /** A bid written by hand, as in tests; its JSON is generated. */
    public static AuctionBid of(String agent, BigDecimal amount) {
        return new AuctionBid(agent, amount, "", "{\"amount\":" + amount.toPlainString() + ",\"rationale\":\"\"}");
    }

    /** Reads {@code agent}'s bid from its PROPOSE payload, strictly. A bid with {@code "refuse": true} is not a bid. */
    public static Parsed<AuctionBid> parse(String agent, @Nullable String json) {
        StrictJson read = StrictJson.read(json, FIELDS);
        BigDecimal amount = read.number("amount", BigDecimal.ZERO, null);
        String rationale = read.text("rationale");
        boolean refuse = read.flag("refuse");
        String problem = read.problem();
        if (problem != null) {
            return new Parsed.Invalid<>(problem);
        }
        if (refuse) {
            return new Parsed.Invalid<>("the bid says \"refuse\": true");
        }
        return new Parsed.Ok<>(new AuctionBid(
                agent,
                Objects.requireNonNull(amount),
                Objects.requireNonNull(rationale),
                Objects.requireNonNull(json).strip()));
    }
}
