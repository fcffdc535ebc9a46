package io.troupe.runtime.mechanism;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A contract-net bid: what a bidder asks to be paid, when it expects to be done, and how sure it is. Bidders answer a
 * CFP with JSON following {@link ContractNetRules#BID_SCHEMA}; {@link #parse} reads it.
 *
 * @param agent the bidder
 * @param cost the price asked, in US dollars, at least 0; the team pays it to the contractor on success
 * @param eta the bidder's estimate of the time it needs, in its own words (e.g. {@code "2h"})
 * @param confidence how sure the bidder is to succeed, from 0 to 1
 * @param rationale why this bid, in the bidder's words
 * @param json the bid as the bidder sent it
 */
record Bid(String agent, BigDecimal cost, String eta, BigDecimal confidence, String rationale, String json) {
    private static final Set<String> FIELDS = Set.of("cost", "eta", "confidence", "rationale", "refuse");

    public Bid {
        Objects.requireNonNull(agent, "Bid agent");
        Objects.requireNonNull(eta, "Bid eta");
        Objects.requireNonNull(rationale, "Bid rationale");
        Objects.requireNonNull(json, "Bid json");
        if (cost.signum() < 0) {
            throw new IllegalArgumentException("Bid cost must not be negative, got " + cost.toPlainString());
        }
        if (confidence.signum() < 0 || confidence.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException(
                    "Bid confidence must be between 0 and 1, got " + confidence.toPlainString());
        }
    }

    /** A bid written by hand, as in tests; its JSON is generated. */
    public static Bid of(String agent, BigDecimal cost, BigDecimal confidence) {
        return new Bid(
                agent,
                cost,
                "",
                confidence,
                "",
                "{\"cost\":" + cost.toPlainString() + ",\"eta\":\"\",\"confidence\":" + confidence.toPlainString()
                        + ",\"rationale\":\"\"}");
    }

    /**
     * Reads {@code agent}'s bid from its PROPOSE payload, strictly: every field of {@link ContractNetRules#BID_SCHEMA}
     * of the right type and range, and no other. A bid with {@code "refuse": true} is not a bid.
     */
    public static Parsed<Bid> parse(String agent, @Nullable String json) {
        StrictJson read = StrictJson.read(json, FIELDS);
        BigDecimal cost = read.number("cost", BigDecimal.ZERO, null);
        String eta = read.text("eta");
        BigDecimal confidence = read.number("confidence", BigDecimal.ZERO, BigDecimal.ONE);
        String rationale = read.text("rationale");
        boolean refuse = read.flag("refuse");
        String problem = read.problem();
        if (problem != null) {
            return new Parsed.Invalid<>(problem);
        }
        if (refuse) {
            return new Parsed.Invalid<>("the bid says \"refuse\": true");
        }
        return new Parsed.Ok<>(new Bid(
                agent,
                Objects.requireNonNull(cost),
                Objects.requireNonNull(eta),
                Objects.requireNonNull(confidence),
                Objects.requireNonNull(rationale),
                Objects.requireNonNull(json).strip()));
    }
}
