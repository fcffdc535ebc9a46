package io.troupe.runtime.mechanism;

import io.troupe.api.team.MechanismSpec.Scoring;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The rules of contract-net: the bid schema, how bids are ranked and scored, and how the manager's and the judge's
 * structured answers are read. Pure functions.
 *
 * <p>Ranking is total and deterministic. {@link Scoring#LOWEST_COST}: lower cost first, then higher confidence, then
 * eligibility order. {@link Scoring#BEST_VALUE}: higher confidence ÷ cost first (compared exactly, by
 * cross-multiplication; a bid of cost 0 has unbounded value and comes before every paid bid), then higher confidence,
 * then eligibility order. {@link Scoring#LLM_JUDGE} ranks like best-value: the judge picks the first award, and
 * best-value orders the fallbacks (when the judge's answer is unusable, and for the next-best re-award).
 */
final class ContractNetRules {
    /**
     * The JSON schema of a contract-net bid, given to bidders with the CFP. Kept flat, with simple types, so that
     * small local models can follow it under grammar-constrained decoding. A bidder that cannot do the task answers
     * with {@code "refuse": true} (the other fields are still required by the schema; their values are ignored).
     */
    public static final String BID_SCHEMA = """
            {"type":"object",\
            "properties":{\
            "cost":{"type":"number","minimum":0,"description":"price asked to do the task, in US dollars"},\
            "eta":{"type":"string","description":"time needed, e.g. 2h"},\
            "confidence":{"type":"number","minimum":0,"maximum":1,"description":"chance of success, 0 to 1"},\
            "rationale":{"type":"string","description":"why this bid, in one sentence"},\
            "refuse":{"type":"boolean","description":"true to decline the task"}},\
            "required":["cost","eta","confidence","rationale"],\
            "additionalProperties":false}""";

    /** The JSON schema of the manager's plan: the task broken into 1 to 8 subtasks, in the order to do them. */
    public static final String PLAN_SCHEMA = """
            {"type":"object",\
            "properties":{"subtasks":{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":8}},\
            "required":["subtasks"],\
            "additionalProperties":false}""";

    /** The most subtasks a manager may split a task into. */
    public static final int MAX_SUBTASKS = 8;

    private ContractNetRules() {}

    /** The rule's name in decision records: {@code lowest-cost}, {@code best-value} or {@code llm-judge}. */
    public static String ruleName(Scoring scoring) {
        return switch (scoring) {
            case LOWEST_COST -> "lowest-cost";
            case BEST_VALUE -> "best-value";
            case LLM_JUDGE -> "llm-judge";
        };
    }

    /**
     * The bids, best first. {@code bids} must be in eligibility order, which breaks the remaining ties (the sort is
     * stable).
     */
    public static List<Bid> rank(List<Bid> bids, Scoring scoring) {
        Comparator<Bid> order = switch (scoring) {
            case LOWEST_COST ->
                Comparator.comparing(Bid::cost).thenComparing(Bid::confidence, Comparator.reverseOrder());
            case BEST_VALUE, LLM_JUDGE ->
                ((Comparator<Bid>) ContractNetRules::compareValue)
                        .thenComparing(Bid::confidence, Comparator.reverseOrder());
        };
        List<Bid> ranked = new ArrayList<>(bids);
        ranked.sort(order);
        return List.copyOf(ranked);
    }

    /** The best bid of an agent not in {@code excluded}, if any. */
    public static Optional<Bid> best(List<Bid> bids, Scoring scoring, Collection<String> excluded) {
        Set<String> skip = Set.copyOf(excluded);
        return rank(bids, scoring).stream()
                .filter(b -> !skip.contains(b.agent()))
                .findFirst();
    }

    /**
     * A bid's score in decision records: its cost under lowest-cost (lower wins), its confidence ÷ cost to six
     * decimals under best-value (higher wins; null for a free bid with some confidence, whose value is unbounded, and
     * 0 for any bid with no confidence), and null under llm-judge (the judge does not score).
     */
    public static @Nullable BigDecimal score(Bid bid, Scoring scoring) {
        return switch (scoring) {
            case LOWEST_COST -> bid.cost();
            case BEST_VALUE -> {
                if (bid.confidence().signum() == 0) {
                    yield BigDecimal.ZERO;
                }
                yield unbounded(bid) ? null : bid.confidence().divide(bid.cost(), 6, RoundingMode.HALF_EVEN);
            }
            case LLM_JUDGE -> null;
        };
    }

    /**
     * Higher value first: a free bid with some confidence beats every other; a bid with no confidence is worth
     * nothing, whatever it costs; other bids compare confidence ÷ cost exactly.
     */
    private static int compareValue(Bid a, Bid b) {
        if (unbounded(a) || unbounded(b)) {
            return Boolean.compare(unbounded(b), unbounded(a));
        }
        if (a.confidence().signum() == 0 || b.confidence().signum() == 0) {
            return Integer.compare(b.confidence().signum(), a.confidence().signum());
        }
        // a.conf / a.cost > b.conf / b.cost  ⇔  a.conf · b.cost > b.conf · a.cost (both costs are positive here)
        return b.confidence().multiply(a.cost()).compareTo(a.confidence().multiply(b.cost()));
    }

    /** Whether a bid's value is unbounded: free, with some confidence. */
    private static boolean unbounded(Bid bid) {
        return bid.cost().signum() == 0 && bid.confidence().signum() > 0;
    }

    /** The JSON schema of the judge's answer: one of {@code bidders}, and why. */
    public static String judgeSchema(List<String> bidders) {
        String names = bidders.stream().map(b -> "\"" + b + "\"").collect(Collectors.joining(","));
        return "{\"type\":\"object\",\"properties\":{\"winner\":{\"type\":\"string\",\"enum\":[" + names
                + "]},\"reason\":{\"type\":\"string\"}},\"required\":[\"winner\",\"reason\"],"
                + "\"additionalProperties\":false}";
    }

    /** The judge's pick among {@code bidders}, read strictly from its answer's payload. */
    public static Parsed<Verdict> verdict(@Nullable String json, List<String> bidders) {
        StrictJson read = StrictJson.read(json, Set.of("winner", "reason"));
        String winner = read.text("winner");
        String reason = read.text("reason");
        String problem = read.problem();
        if (problem != null) {
            return new Parsed.Invalid<>(problem);
        }
        if (!bidders.contains(winner)) {
            return new Parsed.Invalid<>(
                    "the judge named '" + winner + "', who is not among the valid bidders " + bidders);
        }
        return new Parsed.Ok<>(
                new Verdict(java.util.Objects.requireNonNull(winner), java.util.Objects.requireNonNull(reason)));
    }

    /** The manager's subtasks, read strictly from its answer's payload. */
    public static Parsed<List<String>> subtasks(@Nullable String json) {
        StrictJson read = StrictJson.read(json, Set.of("subtasks"));
        List<String> subtasks = read.texts("subtasks", 1, MAX_SUBTASKS);
        String problem = read.problem();
        return problem != null
                ? new Parsed.Invalid<>(problem)
                : new Parsed.Ok<>(java.util.Objects.requireNonNull(subtasks));
    }

    /** The judge's pick: the winning bidder and the judge's reason. */
    public record Verdict(String winner, String reason) {}
}
