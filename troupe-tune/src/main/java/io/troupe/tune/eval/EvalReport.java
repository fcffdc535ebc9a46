package io.troupe.tune.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** Prints eval runs as tables and writes them as JSON. */
public final class EvalReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvalReport() {}

    /** One case's line while a run goes on: {@code ✓ oslo  100%  1.2 s}. */
    public static String progressLine(String label, CaseResult result) {
        StringBuilder line = new StringBuilder(String.format(
                Locale.ROOT,
                "%s %-20s %-12s %5s  %6.2f s",
                result.score() >= 1 ? "PASS" : "FAIL",
                result.caseId(),
                label,
                Grader.percent(result.score()),
                result.latency().toNanos() / 1e9));
        for (CheckResult check : result.checks()) {
            if (!check.passed()) {
                line.append("\n       ").append(check.check()).append(": ").append(check.detail());
            }
        }
        return line.toString();
    }

    /** The summary of one run. */
    public static void summary(EvalRun run, PrintStream out) {
        long passed = run.cases().stream().filter(c -> c.score() >= 1).count();
        out.printf(
                Locale.ROOT,
                "%s: score %s (%d of %d cases fully passed), cost $%s, %d tokens, mean latency %.2f s%n",
                run.label(),
                Grader.percent(run.score()),
                passed,
                run.cases().size(),
                run.cost().toPlainString(),
                run.tokens(),
                run.meanLatency().toNanos() / 1e9);
    }

    /** Two runs of the same cases side by side: per case, then score, cost, tokens and latency. */
    public static void comparison(EvalRun a, EvalRun b, PrintStream out) {
        int width = Math.max(12, Math.max(a.label().length(), b.label().length()) + 2);
        String row = "%-22s %" + width + "s %" + width + "s%n";
        out.printf(Locale.ROOT, row, "CASE", a.label(), b.label());
        for (int i = 0; i < a.cases().size(); i++) {
            CaseResult left = a.cases().get(i);
            CaseResult right = b.cases().get(i);
            out.printf(Locale.ROOT, row, left.caseId(), Grader.percent(left.score()), Grader.percent(right.score()));
        }
        out.printf(Locale.ROOT, row, "score", Grader.percent(a.score()), Grader.percent(b.score()));
        out.printf(
                Locale.ROOT,
                row,
                "cost (USD)",
                a.cost().toPlainString(),
                b.cost().toPlainString());
        out.printf(Locale.ROOT, row, "tokens", a.tokens(), b.tokens());
        out.printf(
                Locale.ROOT,
                row,
                "mean latency",
                String.format(Locale.ROOT, "%.2f s", a.meanLatency().toNanos() / 1e9),
                String.format(Locale.ROOT, "%.2f s", b.meanLatency().toNanos() / 1e9));
    }

    /**
     * The runs as JSON: each run's score, cost and cases, and a flat {@code runs} list of {@code {"run", "score"}}
     * that {@code troupe dataset export --scores} reads.
     */
    public static String json(List<EvalRun> runs) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode evals = root.putArray("evals");
        ArrayNode flat = root.putArray("runs");
        for (EvalRun run : runs) {
            ObjectNode node = evals.addObject()
                    .put("label", run.label())
                    .put("score", run.score())
                    .put("cost", run.cost())
                    .put("tokens", run.tokens())
                    .put("meanLatencyMillis", run.meanLatency().toMillis());
            ArrayNode cases = node.putArray("cases");
            for (CaseResult result : run.cases()) {
                ObjectNode c = cases.addObject()
                        .put("case", result.caseId())
                        .put("run", result.runId())
                        .put("outcome", result.outcome())
                        .put("score", result.score())
                        .put("answer", result.answer())
                        .put("cost", result.usage().cost())
                        .put("latencyMillis", result.latency().toMillis());
                ArrayNode checks = c.putArray("checks");
                for (CheckResult check : result.checks()) {
                    checks.addObject()
                            .put("check", check.check())
                            .put("score", check.score())
                            .put("detail", check.detail());
                }
                flat.addObject()
                        .put("run", result.runId())
                        .put("label", run.label())
                        .put("score", result.score());
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
