package io.troupe.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.DecisionRecord.Option;
import io.troupe.api.team.Payment;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Spells out how a scored decision ranked its options: the terms of every option's score, the formula of the rule,
 * the winner's margin over the runner-up, the tie-break and why each loser lost. Reads only the decision record: the
 * options' inputs (bids and ballots as the agents sent them) and scores. Pure functions.
 *
 * <p>The rules are those of the built-in mechanisms: {@code lowest-cost}, {@code best-value} and {@code llm-judge}
 * (contract-net awards), {@code first-price}, {@code vickrey} and {@code english} (auctions), {@code majority} and
 * {@code weighted} (debate votes). Other rules get a card that lists the options with their scores, without a
 * ranking of its own.
 */
public final class Scores {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Scores() {}

    /** The score card of {@code decision}, or empty when its kind is not scored (a speaker, a handoff...). */
    public static Optional<ScoreCard> of(DecisionRecord decision) {
        return switch (decision.kind()) {
            case "award" -> Optional.of(card(decision, Rule.forAward(decision.rule())));
            case "auction", "round" -> Optional.of(card(decision, Rule.forAuction(decision.rule())));
            case "vote" -> Optional.of(card(decision, Rule.forVote(decision.rule())));
            default -> Optional.empty();
        };
    }

    /** How a rule scores, ranks and breaks ties. */
    private enum Rule {
        LOWEST_COST("score = cost (US dollars); the lowest wins; ties go to the higher confidence, then to the bidder"
                + " listed first"),
        BEST_VALUE("score = confidence ÷ cost; the highest wins (a free bid with some confidence beats every paid bid,"
                + " and no confidence is worth 0); ties go to the higher confidence, then to the bidder listed"
                + " first"),
        LLM_JUDGE("a judge model picks the winner; the ranking shown, used for fallbacks and re-awards, is best-value"
                + " (confidence ÷ cost)"),
        FIRST_PRICE(
                "score = amount bid; the highest bid of at least the reserve and within its bidder's budget wins and"
                        + " pays its own bid; ties go to the bidder listed first"),
        VICKREY("score = amount bid; the highest bid of at least the reserve and within its bidder's budget wins and"
                + " pays the second-highest admitted bid (at least the reserve); ties go to the bidder listed"
                + " first"),
        ENGLISH("score = amount bid; each round asks the best bid plus the increment, bidders below the ask drop"
                + " out, and the last one standing wins and pays its bid; ties go to the bidder listed first"),
        MAJORITY("score = number of ballots; the highest tally wins; ties go to the debater listed first"),
        WEIGHTED("score = sum of the weights of the voters for the option; the highest tally wins; ties go to the"
                + " debater listed first"),
        OTHER("as the mechanism scored its options");

        private final String formula;

        Rule(String formula) {
            this.formula = formula;
        }

        static Rule forAward(String rule) {
            return switch (rule) {
                case "lowest-cost" -> LOWEST_COST;
                case "best-value" -> BEST_VALUE;
                case "llm-judge" -> LLM_JUDGE;
                default -> OTHER;
            };
        }

        static Rule forAuction(String rule) {
            return switch (rule) {
                case "first-price" -> FIRST_PRICE;
                case "vickrey" -> VICKREY;
                case "english" -> ENGLISH;
                default -> OTHER;
            };
        }

        static Rule forVote(String rule) {
            return switch (rule) {
                case "majority" -> MAJORITY;
                case "weighted" -> WEIGHTED;
                default -> OTHER;
            };
        }

        boolean bids() {
            return this == LOWEST_COST || this == BEST_VALUE || this == LLM_JUDGE;
        }

        boolean auction() {
            return this == FIRST_PRICE || this == VICKREY || this == ENGLISH;
        }

        boolean lowerWins() {
            return this == LOWEST_COST;
        }
    }

    /** An eligible option with what it is ranked on. */
    private record Entry(
            Option option,
            int order,
            Map<String, String> terms,
            @Nullable BigDecimal score,
            @Nullable BigDecimal cost,
            @Nullable BigDecimal confidence) {
        boolean unbounded() {
            return cost != null && cost.signum() == 0 && confidence != null && confidence.signum() > 0;
        }
    }

    private static ScoreCard card(DecisionRecord decision, Rule rule) {
        List<Entry> eligible = new ArrayList<>();
        List<ScoreCard.Scored> excluded = new ArrayList<>();
        List<Option> options = decision.options();
        for (int i = 0; i < options.size(); i++) {
            Option option = options.get(i);
            Map<String, String> terms = terms(rule, option);
            if (option.excluded() != null) {
                excluded.add(new ScoreCard.Scored(option.agent(), 0, terms, null, "excluded: " + option.excluded()));
                continue;
            }
            BigDecimal cost = rule.bids() ? number(option.input(), "cost") : null;
            BigDecimal confidence = rule.bids() ? number(option.input(), "confidence") : null;
            BigDecimal score = option.score();
            if (rule == Rule.LLM_JUDGE && cost != null && confidence != null) {
                score = value(cost, confidence);
            }
            eligible.add(new Entry(option, i, terms, score, cost, confidence));
        }
        List<Entry> ranked = new ArrayList<>(eligible);
        if (rule != Rule.OTHER) {
            ranked.sort(order(rule));
        }
        String winner = decision.chosen();
        Entry won = ranked.stream()
                .filter(e -> e.option().agent().equals(winner))
                .findFirst()
                .orElse(null);
        Entry runnerUp = ranked.stream()
                .filter(e -> !e.option().agent().equals(winner))
                .findFirst()
                .orElse(null);
        BigDecimal margin = won == null || runnerUp == null || rule == Rule.OTHER || rule == Rule.LLM_JUDGE
                ? null
                : margin(rule, won, runnerUp);
        String tieBreak = won != null && runnerUp != null && margin != null && margin.signum() == 0
                ? tieBreak(rule, won, runnerUp)
                : null;
        if (won != null && runnerUp != null && rule == Rule.BEST_VALUE && won.unbounded() && !runnerUp.unbounded()) {
            tieBreak = null;
        }
        List<ScoreCard.Scored> scored = new ArrayList<>();
        for (int rank = 0; rank < ranked.size(); rank++) {
            Entry entry = ranked.get(rank);
            String outcome = entry == won ? "won" : lost(rule, entry, won, winner);
            scored.add(new ScoreCard.Scored(entry.option().agent(), rank + 1, entry.terms(), entry.score(), outcome));
        }
        scored.addAll(excluded);
        return new ScoreCard(
                decision.rule(),
                rule.formula,
                scored,
                winner,
                runnerUp == null ? null : runnerUp.option().agent(),
                margin,
                tieBreak,
                price(decision, winner));
    }

    private static Comparator<Entry> order(Rule rule) {
        Comparator<Entry> byOrder = Comparator.comparingInt(Entry::order);
        if (rule == Rule.BEST_VALUE || rule == Rule.LLM_JUDGE) {
            Comparator<Entry> value = (a, b) -> {
                if (a.unbounded() || b.unbounded()) {
                    return Boolean.compare(b.unbounded(), a.unbounded());
                }
                return compareNullable(b.score(), a.score());
            };
            return value.thenComparing((a, b) -> compareNullable(b.confidence(), a.confidence()))
                    .thenComparing(byOrder);
        }
        if (rule == Rule.LOWEST_COST) {
            return ((Comparator<Entry>) (a, b) -> compareNullable(a.score(), b.score()))
                    .thenComparing((a, b) -> compareNullable(b.confidence(), a.confidence()))
                    .thenComparing(byOrder);
        }
        return ((Comparator<Entry>) (a, b) -> compareNullable(b.score(), a.score())).thenComparing(byOrder);
    }

    /** Compares with null last. */
    private static int compareNullable(@Nullable BigDecimal a, @Nullable BigDecimal b) {
        if (a == null || b == null) {
            return Boolean.compare(a == null, b == null);
        }
        return a.compareTo(b);
    }

    private static @Nullable BigDecimal margin(Rule rule, Entry won, Entry runnerUp) {
        if (won.score() == null || runnerUp.score() == null) {
            return null;
        }
        BigDecimal difference = won.score().subtract(runnerUp.score());
        return (rule.lowerWins() ? difference.negate() : difference).stripTrailingZeros();
    }

    private static String tieBreak(Rule rule, Entry won, Entry runnerUp) {
        String who = won.option().agent();
        String other = runnerUp.option().agent();
        if (rule.bids()
                && won.confidence() != null
                && runnerUp.confidence() != null
                && won.confidence().compareTo(runnerUp.confidence()) != 0) {
            return "equal scores; " + who + "'s higher confidence (" + plain(won.confidence()) + " over "
                    + plain(runnerUp.confidence()) + ") broke the tie";
        }
        String listed = rule == Rule.MAJORITY || rule == Rule.WEIGHTED ? "debaters" : "bidders";
        return "equal scores" + (rule.bids() ? " and confidence" : "") + "; " + who + " is listed before " + other
                + " among the " + listed;
    }

    private static String lost(Rule rule, Entry entry, @Nullable Entry won, @Nullable String winner) {
        if (won == null) {
            return winner == null ? "no option was chosen" : "not chosen; " + winner + " was";
        }
        String who = won.option().agent();
        if (rule == Rule.LLM_JUDGE) {
            return "the judge chose " + who;
        }
        if (rule == Rule.BEST_VALUE && won.unbounded() && !entry.unbounded()) {
            return "its value " + plain(entry.score()) + " is bounded, and " + who
                    + " bid for free with some confidence, which beats every paid bid";
        }
        if (entry.score() == null || won.score() == null) {
            return "ranked below " + who;
        }
        int comparison = entry.score().compareTo(won.score());
        if (comparison == 0) {
            return "tied with " + who + " at " + plain(entry.score()) + "; lost the tie-break: "
                    + tieBreak(rule, won, entry);
        }
        BigDecimal gap = entry.score().subtract(won.score()).abs().stripTrailingZeros();
        boolean better = rule.lowerWins() ? comparison < 0 : comparison > 0;
        if (better) {
            // The mechanism chose a worse-scored option: the better one failed, refused later, or a judge decided.
            return "scored better (" + plain(entry.score()) + ") but " + who + " was chosen";
        }
        String what = rule.auction() ? "bid " : rule == Rule.MAJORITY || rule == Rule.WEIGHTED ? "tally " : "score ";
        return what + plain(entry.score()) + " against " + who + "'s " + plain(won.score()) + ": "
                + (rule.lowerWins() ? "higher" : "lower") + " by " + plain(gap);
    }

    private static Map<String, String> terms(Rule rule, Option option) {
        Map<String, String> terms = new LinkedHashMap<>();
        JsonNode input = tree(option.input());
        if (input == null) {
            return terms;
        }
        if (rule.bids()) {
            put(terms, input, "cost");
            put(terms, input, "confidence");
            BigDecimal cost = number(option.input(), "cost");
            BigDecimal confidence = number(option.input(), "confidence");
            if (cost != null && confidence != null) {
                BigDecimal value = value(cost, confidence);
                terms.put(
                        "value",
                        plain(confidence) + " ÷ " + plain(cost) + " = " + (value == null ? "unbounded" : plain(value)));
            }
            put(terms, input, "eta");
            put(terms, input, "rationale");
        } else if (rule.auction()) {
            put(terms, input, "amount");
            put(terms, input, "rationale");
        } else if (input.get("votes") instanceof com.fasterxml.jackson.databind.node.ArrayNode votes) {
            for (JsonNode vote : votes) {
                String voter = vote.path("voter").asText("");
                if (!voter.isEmpty()) {
                    terms.put(voter, vote.path("weight").asText("1"));
                }
            }
        }
        return terms;
    }

    private static void put(Map<String, String> terms, JsonNode input, String field) {
        JsonNode value = input.get(field);
        if (value != null
                && !value.isNull()
                && !(value.isTextual() && value.asText().isBlank())) {
            terms.put(field, value.isNumber() ? plain(value.decimalValue()) : value.asText());
        }
    }

    /** confidence ÷ cost to six decimals, as the best-value rule scores; null when unbounded (free, confident). */
    private static @Nullable BigDecimal value(BigDecimal cost, BigDecimal confidence) {
        if (confidence.signum() == 0) {
            return BigDecimal.ZERO;
        }
        return cost.signum() == 0 ? null : confidence.divide(cost, 6, RoundingMode.HALF_EVEN);
    }

    private static @Nullable BigDecimal price(DecisionRecord decision, @Nullable String winner) {
        if (winner == null) {
            return null;
        }
        for (Payment payment : decision.payments()) {
            if (payment.from().equals(winner) || payment.to().equals(winner)) {
                return payment.amount();
            }
        }
        return null;
    }

    static @Nullable JsonNode tree(@Nullable String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(json.strip());
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static @Nullable BigDecimal number(@Nullable String json, String field) {
        JsonNode node = tree(json);
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isNumber() ? value.decimalValue() : null;
    }

    /** A number as people write it: no exponent, no trailing zeros. */
    static String plain(@Nullable BigDecimal number) {
        return number == null ? "none" : number.stripTrailingZeros().toPlainString();
    }
}
