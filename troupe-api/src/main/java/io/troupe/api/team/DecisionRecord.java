package io.troupe.api.team;

import io.troupe.api.Checks;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Why a mechanism chose what it chose: an award, a vote, a speaker, a handoff or a blackboard activation. The
 * runtime journals it before the mechanism acts on it, so a replay can answer "why did agent X win?" without calling
 * any model.
 *
 * @param kind what was decided: {@code award}, {@code auction}, {@code vote}, {@code verdict}, {@code speaker},
 *     {@code handoff}, {@code activation}, {@code combine} or a custom mechanism's own word
 * @param subject the message the decision is about (a CFP, a ballot request), or null
 * @param rule the rule applied, in words a user recognises, e.g. {@code lowest-cost} or {@code vickrey}
 * @param options every candidate considered, with its input and score, including the excluded ones
 * @param chosen the agent chosen, or null when no candidate was acceptable
 * @param reason the outcome in one sentence
 * @param payments what the decision moves between budgets; empty when nothing is paid
 */
public record DecisionRecord(
        String kind,
        @Nullable String subject,
        String rule,
        List<Option> options,
        @Nullable String chosen,
        String reason,
        List<Payment> payments) {

    public DecisionRecord {
        Checks.notBlank(kind, "DecisionRecord kind");
        Checks.notBlank(rule, "DecisionRecord rule");
        options = Checks.list(options, "DecisionRecord options");
        Checks.notBlank(reason, "DecisionRecord reason");
        payments = Checks.list(payments, "DecisionRecord payments");
        if (chosen != null && options.stream().noneMatch(o -> o.agent().equals(chosen))) {
            throw new IllegalArgumentException(
                    "DecisionRecord chose '" + chosen + "', which is not among its options " + agents(options));
        }
    }

    /** A decision that moves no money. */
    public static DecisionRecord of(
            String kind,
            @Nullable String subject,
            String rule,
            List<Option> options,
            @Nullable String chosen,
            String reason) {
        return new DecisionRecord(kind, subject, rule, options, chosen, reason, List.of());
    }

    /** The option of {@code agent}, if it was considered. */
    public @Nullable Option option(String agent) {
        for (Option option : options) {
            if (option.agent().equals(agent)) {
                return option;
            }
        }
        return null;
    }

    /** The decision in a few lines: the rule, each option with its score or exclusion, and the outcome. */
    public String explain() {
        StringBuilder text = new StringBuilder();
        text.append(kind).append(" by ").append(rule);
        if (subject != null) {
            text.append(" (on message ").append(subject).append(')');
        }
        text.append(": ").append(reason);
        for (Option option : options) {
            text.append("\n  ")
                    .append(option.agent().equals(chosen) ? "* " : "- ")
                    .append(option.agent());
            if (option.score() != null) {
                text.append(" score ")
                        .append(option.score().stripTrailingZeros().toPlainString());
            }
            if (option.excluded() != null) {
                text.append(" excluded: ").append(option.excluded());
            }
            if (option.input() != null && !option.input().isBlank()) {
                text.append(" ← ").append(option.input().strip().replace('\n', ' '));
            }
        }
        for (Payment payment : payments) {
            text.append("\n  $ ").append(payment);
        }
        return text.toString();
    }

    private static String agents(List<Option> options) {
        return options.stream().map(Option::agent).collect(Collectors.joining(", ", "[", "]"));
    }

    /**
     * One candidate of a decision.
     *
     * @param agent the candidate agent
     * @param input what it offered: a bid or ballot as JSON, an answer, or a trigger; null when it said nothing
     * @param score its score under the rule, or null when the rule does not score or it was excluded
     * @param excluded why it could not be chosen (refused, late, invalid bid, over budget), or null if eligible
     */
    public record Option(
            String agent,
            @Nullable String input,
            @Nullable BigDecimal score,
            @Nullable String excluded) {
        public Option {
            Checks.notBlank(agent, "DecisionRecord.Option agent");
        }

        /** An eligible option. */
        public static Option scored(String agent, @Nullable String input, @Nullable BigDecimal score) {
            return new Option(agent, input, score, null);
        }

        /** An option that could not be chosen, and why. */
        public static Option excluded(String agent, @Nullable String input, String why) {
            return new Option(agent, input, null, Checks.notBlank(why, "DecisionRecord.Option excluded"));
        }
    }
}
