package io.troupe.tune.dataset;

import java.util.Locale;
import java.util.Map;

/**
 * What an export found and kept.
 *
 * @param runs runs read
 * @param modelCalls completed model calls found in them
 * @param excluded calls left out, by reason (run, outcome, score, agent, role, model, tool call)
 * @param duplicates examples dropped because an identical one was kept
 * @param train examples in the training set
 * @param eval examples in the evaluation set
 * @param trainTokens prompt and answer tokens of the training set, as the serving models counted them
 * @param evalTokens prompt and answer tokens of the evaluation set
 * @param byAgent kept examples per agent
 */
public record DatasetReport(
        int runs,
        int modelCalls,
        Map<String, Integer> excluded,
        int duplicates,
        int train,
        int eval,
        Tokens trainTokens,
        Tokens evalTokens,
        Map<String, Integer> byAgent) {

    public DatasetReport {
        excluded = Map.copyOf(excluded);
        byAgent = Map.copyOf(byAgent);
    }

    /**
     * Token totals.
     *
     * @param prompt tokens of the prompts
     * @param answer tokens of the answers (what is trained)
     */
    public record Tokens(long prompt, long answer) {
        public long total() {
            return prompt + answer;
        }
    }

    /** A few lines for a terminal. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "runs read          %d%n", runs));
        text.append(String.format(Locale.ROOT, "model calls        %d%n", modelCalls));
        excluded.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> text.append(String.format(
                        Locale.ROOT,
                        "  left out (%s)%s%d%n",
                        e.getKey(),
                        " ".repeat(Math.max(1, 10 - e.getKey().length())),
                        e.getValue())));
        text.append(String.format(Locale.ROOT, "duplicates         %d%n", duplicates));
        text.append(String.format(
                Locale.ROOT,
                "train examples     %d  (%d prompt + %d answer tokens)%n",
                train,
                trainTokens.prompt(),
                trainTokens.answer()));
        text.append(String.format(
                Locale.ROOT,
                "eval examples      %d  (%d prompt + %d answer tokens)%n",
                eval,
                evalTokens.prompt(),
                evalTokens.answer()));
        byAgent.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> text.append(String.format(Locale.ROOT, "  agent %-12s %d%n", e.getKey(), e.getValue())));
        return text.toString();
    }
}
