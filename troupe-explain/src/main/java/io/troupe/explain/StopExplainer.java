package io.troupe.explain;

import io.troupe.api.budget.Budget;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Explains why a run stopped: its outcome, the tokens, cost and turns it used of its budget, and where its time went
 * (each kind of call's share and the slowest calls). Pure functions.
 */
final class StopExplainer {
    private StopExplainer() {}

    /** The explanation of the run's end at {@code seq}: its outcome, what it used of its budget, and its timing. */
    static Explanation stop(
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
                .sorted(Comparator.comparing(CallTime::took).reversed())
                .limit(3)
                .forEach(call -> details.add("slow: step " + call.step() + ", " + call.agent() + "'s "
                        + (call.kind().equals("subrun") ? "child run" : call.kind() + " call") + " of " + call.name()
                        + " took " + CallTime.words(call.took()) + " (ended at #" + call.seq() + ")"));
    }
}
