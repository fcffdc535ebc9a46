package io.troupe.explain;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a scored decision (a contract-net award, an auction, a vote) ranked its options: the rule and its formula,
 * every option's terms and score, the winner's margin over the runner-up, the tie-break when it decided, and why each
 * losing option lost.
 *
 * @param rule the rule as journaled, such as {@code best-value} or {@code vickrey}
 * @param formula the rule's formula in words, such as {@code score = confidence ÷ cost; higher wins}
 * @param options every option, best first; excluded options last, in journal order
 * @param winner the option chosen, or null when none was
 * @param runnerUp the best option that was not chosen, or null
 * @param margin how far the winner's score is ahead of the runner-up's, in the rule's direction (0 for a tie), or
 *     null when there is no runner-up or the rule does not score
 * @param tieBreak how the tie was broken, when the winner and the runner-up scored the same; null otherwise
 * @param price what the winner pays or is paid, when the decision moves money; null otherwise
 */
public record ScoreCard(
        String rule,
        String formula,
        List<Scored> options,
        @Nullable String winner,
        @Nullable String runnerUp,
        @Nullable BigDecimal margin,
        @Nullable String tieBreak,
        @Nullable BigDecimal price) {
    public ScoreCard {
        Objects.requireNonNull(rule, "ScoreCard rule");
        Objects.requireNonNull(formula, "ScoreCard formula");
        options = List.copyOf(options);
    }

    /** The option of {@code agent}, or null. */
    public @Nullable Scored option(String agent) {
        return options.stream().filter(o -> o.agent().equals(agent)).findFirst().orElse(null);
    }

    /**
     * One option as scored.
     *
     * @param agent the candidate
     * @param rank 1 for the best eligible option, and so on; 0 for an excluded one
     * @param terms the inputs of the score by name, in the formula's order (for a bid: {@code cost}, {@code
     *     confidence}; for a vote: each voter's weight), as the option offered them
     * @param score the score under the rule, or null when it has none (an excluded option, an unbounded value)
     * @param outcome {@code "won"}, or why it lost: worse by how much, the tie-break, or why it was excluded
     */
    public record Scored(
            String agent,
            int rank,
            Map<String, String> terms,
            @Nullable BigDecimal score,
            String outcome) {
        public Scored {
            Objects.requireNonNull(agent, "Scored agent");
            terms = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(terms));
            Objects.requireNonNull(outcome, "Scored outcome");
        }
    }
}
