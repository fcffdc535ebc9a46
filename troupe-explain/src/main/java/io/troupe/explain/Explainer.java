package io.troupe.explain;

import io.troupe.api.budget.Budget;
import io.troupe.api.intercept.Point;
import io.troupe.api.intercept.Ruling;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.Payment;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Explains a run from its journal: why each decision was taken (speaker choices, awards and auctions with every score
 * term and the margin, votes, verdicts, handoffs, activations), what the interception seam blocked, changed or held,
 * what people approved, what was refused, and why the run stopped. It reads the decision records and verdicts as
 * journaled and never re-runs anything. Stateless and thread-safe.
 */
public final class Explainer {
    private Explainer() {}

    /** Every explanation of {@code transcript}'s run, in journal order. */
    public static RunExplanation explain(Transcript transcript) {
        List<JournalEvent> events = transcript.events();
        List<CallTime> calls = CallTime.of(transcript);
        Map<Integer, CallTime> callEndingAt = new HashMap<>();
        calls.forEach(call -> callEndingAt.put(call.seq(), call));
        List<Explanation> explanations = new ArrayList<>();
        Map<String, JournalEvent.Intercepted> held = new HashMap<>();
        String team = "";
        String mechanism = "";
        Budget budget = Budget.DEFAULT;
        int turns = 0;
        for (int i = 0; i < events.size(); i++) {
            int seq = i + 1;
            switch (events.get(i)) {
                case JournalEvent.RunStarted started -> {
                    team = started.team().name();
                    mechanism = Words.mechanism(started.team().mechanism());
                    budget = started.team().budget();
                }
                case JournalEvent.DecisionRecorded recorded -> explanations.add(decision(seq, recorded.decision()));
                case JournalEvent.Intercepted intercepted -> {
                    Explanation explanation = interception(seq, intercepted);
                    if (explanation != null) {
                        explanations.add(explanation);
                    }
                    held.put(intercepted.key(), intercepted);
                }
                case JournalEvent.ApprovalDecided decided ->
                    explanations.add(approval(seq, decided, held.get(decided.key())));
                case JournalEvent.ToolCallRejected rejected ->
                    explanations.add(new Explanation(
                            seq,
                            Explanation.Kind.REFUSAL,
                            rejected.agentId(),
                            rejected.agentId() + "'s call of tool '"
                                    + rejected.call().name() + "' was refused: " + rejected.reason(),
                            List.of(
                                    "arguments: " + Words.clip(rejected.call().arguments(), 200),
                                    "the reason went back to the model to repair the call (refusal "
                                            + rejected.attempt() + " in a row)"),
                            null));
                case JournalEvent.AnswerRejected rejected ->
                    explanations.add(new Explanation(
                            seq,
                            Explanation.Kind.REFUSAL,
                            rejected.agentId(),
                            rejected.agentId() + "'s answer was refused: " + rejected.reason(),
                            List.of("the reason went back to the model to answer again (refusal " + rejected.attempt()
                                    + " in a row)"),
                            null));
                case JournalEvent.LlmFailed failed ->
                    explanations.add(new Explanation(
                            seq,
                            Explanation.Kind.MODEL_FAILURE,
                            failed.agentId(),
                            failed.agentId() + "'s model call (step " + failed.step() + ") failed: " + failed.error(),
                            failure(failed, callEndingAt.get(seq)),
                            null));
                case JournalEvent.LlmReissued reissued -> {
                    turns++;
                    explanations.add(new Explanation(
                            seq,
                            Explanation.Kind.REISSUE,
                            reissued.agentId(),
                            "step " + reissued.step() + " of " + reissued.agentId()
                                    + " was issued again after a restart, because no answer was journaled for it",
                            List.of("the abandoned attempt was charged "
                                    + reissued.charged().inputTokens() + " input tokens and counts as a turn"),
                            null));
                }
                case JournalEvent.DeadlinePassed passed ->
                    explanations.add(new Explanation(
                            seq,
                            Explanation.Kind.DEADLINE,
                            null,
                            "the deadline of message " + passed.messageId() + " passed at " + passed.at()
                                    + " with answers outstanding",
                            List.of("calls still working on it were stopped; a late answer counts as a refusal"),
                            null));
                case JournalEvent.LlmCompleted completed -> turns++;
                case JournalEvent.RunFinished finished ->
                    explanations.add(stop(
                            seq,
                            finished,
                            budget,
                            turns,
                            transcript.between(0, i).orElse(null),
                            calls));
                default -> {}
            }
        }
        Duration took = events.isEmpty()
                ? null
                : transcript.between(0, events.size() - 1).orElse(null);
        return new RunExplanation(
                transcript.conversationId(), team, mechanism, events.size(), explanations, took, calls);
    }

    private static List<String> failure(JournalEvent.LlmFailed failed, @Nullable CallTime time) {
        List<String> details = new ArrayList<>();
        details.add(
                failed.retriable()
                        ? "a passing failure (rate limit, server error, timeout) that outlasted every retry and fallback"
                        : "a permanent failure: retrying would not help");
        if (time != null) {
            details.add("it gave up " + CallTime.words(time.took()) + " after the call was journaled");
        }
        return details;
    }

    /** The run's time and where it went: each kind of call's share and the slowest calls. */
    private static void timing(List<String> details, @Nullable Duration took, List<CallTime> calls) {
        if (took == null) {
            return;
        }
        StringBuilder line = new StringBuilder("took: ").append(CallTime.words(took));
        List<String> shares = new ArrayList<>();
        for (String kind : List.of("model", "tool", "subrun")) {
            List<CallTime> ofKind =
                    calls.stream().filter(c -> c.kind().equals(kind)).toList();
            if (!ofKind.isEmpty()) {
                Duration total = ofKind.stream().map(CallTime::took).reduce(Duration.ZERO, Duration::plus);
                String what = switch (kind) {
                    case "model" -> "model call";
                    case "tool" -> "tool call";
                    default -> "child run";
                };
                shares.add(
                        CallTime.words(total) + " in " + ofKind.size() + " " + what + (ofKind.size() == 1 ? "" : "s"));
            }
        }
        Duration waited = calls.stream().map(CallTime::took).reduce(Duration.ZERO, Duration::plus);
        if (waited.compareTo(took) > 0) {
            shares.add("calls ran side by side");
        }
        if (!shares.isEmpty()) {
            line.append(" (").append(String.join(", ", shares)).append(')');
        }
        details.add(line.toString());
        calls.stream()
                .sorted(java.util.Comparator.comparing(CallTime::took).reversed())
                .limit(3)
                .forEach(call -> details.add("slow: step " + call.step() + ", " + call.agent() + "'s "
                        + (call.kind().equals("subrun") ? "child run" : call.kind() + " call") + " of " + call.name()
                        + " took " + CallTime.words(call.took()) + " (ended at #" + call.seq() + ")"));
    }

    /** The explanation of one decision record at {@code seq}. */
    public static Explanation decision(int seq, DecisionRecord decision) {
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

    /** The explanation of interceptors' rulings, or null when every interceptor let it pass silently. */
    static @Nullable Explanation interception(int seq, JournalEvent.Intercepted intercepted) {
        List<String> details = new ArrayList<>();
        String headline = null;
        int strongest = 0;
        String what = Words.point(intercepted.point())
                + (intercepted.agentId() == null ? "" : " of " + intercepted.agentId());
        for (Ruling ruling : intercepted.rulings()) {
            details.add(ruling.interceptor() + ": " + ruling.verdict().describe());
            String line = switch (ruling.verdict()) {
                case Verdict.Block block ->
                    "'" + ruling.interceptor() + "' blocked the " + what + ": " + block.reason()
                            + (block.endRun() ? ", and ended the run" : "");
                case Verdict.Replace replace ->
                    "'" + ruling.interceptor() + "' changed the " + what + ": " + replace.reason();
                case Verdict.AwaitHuman await ->
                    "'" + ruling.interceptor() + "' held the " + what + " for a person: " + await.reason();
                case Verdict.Proceed proceed ->
                    proceed.note() == null
                            ? null
                            : "'" + ruling.interceptor() + "' let the " + what + " pass: " + proceed.note();
            };
            // The strongest ruling heads the explanation: a block, else a hold, else a change, else a note.
            if (line != null && strength(ruling.verdict()) > strongest) {
                headline = line;
                strongest = strength(ruling.verdict());
            }
        }
        if (headline == null) {
            return null;
        }
        details.add("key " + intercepted.key());
        return new Explanation(seq, Explanation.Kind.INTERCEPTION, intercepted.agentId(), headline, details, null);
    }

    private static int strength(Verdict verdict) {
        return switch (verdict) {
            case Verdict.Block block -> 4;
            case Verdict.AwaitHuman await -> 3;
            case Verdict.Replace replace -> 2;
            case Verdict.Proceed proceed -> 1;
        };
    }

    private static Explanation approval(
            int seq, JournalEvent.ApprovalDecided decided, JournalEvent.@Nullable Intercepted held) {
        String what = held == null
                ? "what was held at " + decided.key()
                : "the " + Words.point(held.point()) + (held.agentId() == null ? "" : " of " + held.agentId());
        String headline = decided.by()
                + (decided.approved() ? " approved " : " denied ")
                + what
                + (decided.note().isBlank() ? "" : ": " + decided.note());
        List<String> details = new ArrayList<>();
        details.add(
                decided.approved()
                        ? "the run went on"
                        : "the held call was blocked, as the interceptor's verdict says");
        details.add("key " + decided.key() + ", at " + decided.at());
        return new Explanation(
                seq, Explanation.Kind.APPROVAL, held == null ? null : held.agentId(), headline, details, null);
    }

    private static Explanation stop(
            int seq,
            JournalEvent.RunFinished finished,
            Budget budget,
            int turns,
            @Nullable Duration took,
            List<CallTime> calls) {
        String headline = switch (finished.outcome()) {
            case Outcome.Completed completed -> "the run completed: the mechanism finished with a result";
            case Outcome.BudgetExceeded exceeded ->
                "the run stopped because its " + exceeded.resource().name().toLowerCase(Locale.ROOT)
                        + " budget ran out: used " + exceeded.used() + " of " + exceeded.limit()
                        + (exceeded.needed() == null
                                ? ""
                                : ", and the next call needed " + exceeded.needed() + " more");
            case Outcome.Failed failed -> "the run failed: " + failed.reason();
            case Outcome.Cancelled cancelled -> "the run was cancelled: " + cancelled.reason();
        };
        List<String> details = new ArrayList<>();
        if (finished.outcome() instanceof Outcome.Completed completed) {
            details.add("result: " + Words.clip(completed.result().strip().replace('\n', ' '), 200));
        }
        details.add("tokens: " + finished.usage().totalTokens() + " of " + budget.maxTokens());
        details.add("cost: $" + Scores.plain(finished.usage().cost()) + " of $" + Scores.plain(budget.maxCost()));
        details.add("turns: " + Math.max(turns, finished.turns()) + " of " + budget.maxTurns());
        BigDecimal left = budget.maxCost().subtract(finished.usage().cost());
        if (left.signum() < 0) {
            details.add("cost overshot by $" + Scores.plain(left.negate()) + " (calls already in flight)");
        }
        timing(details, took, calls);
        return new Explanation(seq, Explanation.Kind.STOP, null, headline, details, null);
    }

    /** Words for points, mechanisms and long texts. */
    static final class Words {
        private Words() {}

        static String point(Point point) {
            return switch (point) {
                case TASK -> "task";
                case INCOMING -> "incoming message";
                case MODEL_CALL -> "model call";
                case MODEL_ANSWER -> "model answer";
                case TOOL_USE -> "tool call";
                case TOOL_OUTPUT -> "tool result";
                case OUTGOING -> "outgoing message";
            };
        }

        static String mechanism(io.troupe.api.team.MechanismSpec mechanism) {
            String name = mechanism.getClass().getSimpleName();
            StringBuilder words = new StringBuilder();
            for (char c : name.toCharArray()) {
                if (Character.isUpperCase(c) && !words.isEmpty()) {
                    words.append('-');
                }
                words.append(Character.toLowerCase(c));
            }
            return words.toString();
        }

        static String clip(String text, int max) {
            return text.length() <= max ? text : text.substring(0, max - 1) + "…";
        }
    }
}
