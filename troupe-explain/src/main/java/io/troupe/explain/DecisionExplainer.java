package io.troupe.explain;

import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.Payment;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Explains one decision record: the headline of who was chosen and why (the speaker, the contract or auction won with
 * its price and margin, the vote's tally, the judge's choice), then the score card's rule, formula, ranked options and
 * tie-break, or the bare options when the rule has no card, and the payments. Pure functions.
 */
final class DecisionExplainer {
    private DecisionExplainer() {}

    /** The explanation of one decision record at {@code seq}. */
    static Explanation decision(int seq, DecisionRecord decision) {
        ScoreCard card = Scores.of(decision).orElse(null);
        String chosen = decision.chosen();
        String headline = switch (decision.kind()) {
            case "speaker" -> chosen + " speaks next (" + decision.rule() + "): " + decision.reason();
            case "award" ->
                chosen == null
                        ? "no bid was awarded" + on(decision) + ": " + decision.reason()
                        : chosen + " won the contract" + on(decision) + " by " + decision.rule() + marginText(card);
            case "auction" ->
                chosen == null
                        ? "the " + decision.rule() + " auction" + on(decision) + " made no sale: " + decision.reason()
                        : chosen + " won the " + decision.rule() + " auction" + on(decision) + priceText(card)
                                + marginText(card);
            case "round" -> "english auction round" + on(decision) + ": " + decision.reason();
            case "vote" ->
                chosen + " won the " + decision.rule() + " vote" + tallyText(card, chosen) + marginText(card);
            case "verdict" -> "the judge (" + decision.rule() + ") chose " + chosen + ": " + decision.reason();
            case "handoff", "activation", "combine", "payment" -> decision.reason();
            default -> decision.kind() + " by " + decision.rule() + ": " + decision.reason();
        };
        List<String> details = new ArrayList<>();
        if (card != null) {
            details.add("rule " + card.rule() + ": " + card.formula());
            for (ScoreCard.Scored option : card.options()) {
                details.add(optionLine(option));
            }
            if (card.tieBreak() != null) {
                details.add("tie-break: " + card.tieBreak());
            }
        } else {
            details.add("rule: " + decision.rule());
            for (DecisionRecord.Option option : decision.options()) {
                String line = (option.agent().equals(chosen) ? "* " : "- ") + option.agent();
                if (option.score() != null) {
                    line += " score " + Scores.plain(option.score());
                }
                if (option.excluded() != null) {
                    line += " excluded: " + option.excluded();
                }
                if (option.input() != null && !option.input().isBlank()) {
                    line += " ← " + Words.clip(option.input().strip().replace('\n', ' '), 160);
                }
                details.add(line);
            }
        }
        if (card != null && !decision.reason().isBlank() && !decision.kind().equals("payment")) {
            details.add("the mechanism's reason: " + decision.reason());
        }
        for (Payment payment : decision.payments()) {
            details.add("$ " + payment);
        }
        return new Explanation(seq, kind(decision.kind()), chosen, headline, details, card);
    }

    private static Explanation.Kind kind(String kind) {
        return switch (kind) {
            case "speaker" -> Explanation.Kind.SPEAKER;
            case "award" -> Explanation.Kind.AWARD;
            case "payment" -> Explanation.Kind.PAYMENT;
            case "auction" -> Explanation.Kind.AUCTION;
            case "round" -> Explanation.Kind.ROUND;
            case "vote" -> Explanation.Kind.VOTE;
            case "verdict" -> Explanation.Kind.VERDICT;
            case "handoff" -> Explanation.Kind.HANDOFF;
            case "activation" -> Explanation.Kind.ACTIVATION;
            case "combine" -> Explanation.Kind.COMBINE;
            default -> Explanation.Kind.DECISION;
        };
    }

    private static String on(DecisionRecord decision) {
        return decision.subject() == null ? "" : " for message " + decision.subject();
    }

    private static String marginText(@Nullable ScoreCard card) {
        if (card == null || card.runnerUp() == null) {
            return card != null && card.winner() != null && card.runnerUp() == null ? ", unopposed" : "";
        }
        ScoreCard.Scored winner = card.winner() == null ? null : card.option(card.winner());
        ScoreCard.Scored runnerUp = card.option(card.runnerUp());
        if (card.margin() == null) {
            if (winner != null && "won".equals(winner.outcome()) && runnerUp != null) {
                return "; " + runnerUp.agent() + " lost: " + runnerUp.outcome();
            }
            return "";
        }
        String scores = winner == null || runnerUp == null
                ? ""
                : " (" + Scores.plain(winner.score()) + " against " + Scores.plain(runnerUp.score()) + ")";
        if (card.margin().signum() == 0) {
            return ", tied with " + card.runnerUp() + scores + "; " + card.tieBreak();
        }
        return ", " + Scores.plain(card.margin()) + " ahead of " + card.runnerUp() + scores;
    }

    private static String priceText(@Nullable ScoreCard card) {
        return card == null || card.price() == null ? "" : " and pays " + Scores.plain(card.price());
    }

    private static String tallyText(@Nullable ScoreCard card, @Nullable String chosen) {
        ScoreCard.Scored winner = card == null || chosen == null ? null : card.option(chosen);
        return winner == null || winner.score() == null ? "" : " with " + Scores.plain(winner.score());
    }

    private static String optionLine(ScoreCard.Scored option) {
        StringBuilder line = new StringBuilder();
        line.append(option.rank() == 0 ? "-" : option.rank() + ".").append(' ').append(option.agent());
        if (option.score() != null) {
            line.append(" score ").append(Scores.plain(option.score()));
        }
        if (!option.terms().isEmpty()) {
            List<String> terms = new ArrayList<>();
            option.terms().forEach((name, value) -> {
                if (!name.equals("rationale")) {
                    terms.add(name + " " + value);
                }
            });
            line.append(" (").append(String.join(", ", terms)).append(')');
        }
        line.append(": ").append(option.outcome());
        return line.toString();
    }
}
