package io.troupe.explain;

import java.util.List;

/** Renders explanations as plain text for a terminal: a headline per explanation, its details indented. Stateless. */
public final class ExplainText {
    private ExplainText() {}

    /** The run's explanations, with a heading. */
    public static String render(RunExplanation run) {
        StringBuilder text = new StringBuilder();
        text.append("Run ").append(run.conversationId()).append(" (team ").append(run.team());
        if (!run.mechanism().isEmpty()) {
            text.append(", ").append(run.mechanism());
        }
        text.append(", ").append(run.events()).append(" events): ");
        text.append(count(run.explanations().size())).append('\n');
        append(text, run.explanations());
        return text.toString();
    }

    /** Some explanations, one block each. */
    public static String render(List<Explanation> explanations) {
        StringBuilder text = new StringBuilder();
        append(text, explanations);
        return text.toString();
    }

    private static void append(StringBuilder text, List<Explanation> explanations) {
        for (Explanation explanation : explanations) {
            text.append('\n')
                    .append('#')
                    .append(explanation.seq())
                    .append(' ')
                    .append(explanation
                            .kind()
                            .name()
                            .toLowerCase(java.util.Locale.ROOT)
                            .replace('_', ' '))
                    .append(": ")
                    .append(explanation.headline())
                    .append('\n');
            for (String detail : explanation.details()) {
                text.append("    ").append(detail).append('\n');
            }
        }
    }

    private static String count(int n) {
        return n + (n == 1 ? " explanation" : " explanations");
    }
}
