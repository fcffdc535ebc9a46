package io.troupe.tune.eval;

import java.math.BigDecimal;
import java.util.List;

/**
 * One check of a case's rubric. Checks on the result read the run's answer; checks on the journal read what the run
 * did; a judge asks a model. Each scores 0 or 1, except a judge, which scores between 0 and 1.
 */
public sealed interface Check {

    /** A short description for tables: {@code contains "SK123"}. */
    String describe();

    /** The answer equals {@code text}, ignoring surrounding whitespace. */
    record Equals(String text) implements Check {
        @Override
        public String describe() {
            return "equals " + quote(text);
        }
    }

    /** The answer contains every one of {@code texts}. */
    record Contains(List<String> texts) implements Check {
        public Contains {
            texts = List.copyOf(texts);
        }

        @Override
        public String describe() {
            return "contains " + texts.stream().map(Check::quote).toList();
        }
    }

    /** The answer matches the regular expression {@code regex} somewhere. */
    record Matches(String regex) implements Check {
        @Override
        public String describe() {
            return "matches /" + regex + "/";
        }
    }

    /** The answer (the run's payload, or its text) is JSON that follows {@code schema}. */
    record Schema(String schema) implements Check {
        @Override
        public String describe() {
            return "follows the schema";
        }
    }

    /** The run ended with this outcome: completed, failed, budget-exceeded or cancelled. */
    record OutcomeIs(String outcome) implements Check {
        @Override
        public String describe() {
            return "outcome " + outcome;
        }
    }

    /** Every one of {@code tools} was called (and completed) during the run. */
    record ToolsCalled(List<String> tools) implements Check {
        public ToolsCalled {
            tools = List.copyOf(tools);
        }

        @Override
        public String describe() {
            return "calls " + tools;
        }
    }

    /** None of {@code tools} was called. */
    record ToolsNotCalled(List<String> tools) implements Check {
        public ToolsNotCalled {
            tools = List.copyOf(tools);
        }

        @Override
        public String describe() {
            return "does not call " + tools;
        }
    }

    /** The run took at most {@code steps} model and tool calls. */
    record MaxSteps(int steps) implements Check {
        @Override
        public String describe() {
            return "at most " + steps + " steps";
        }
    }

    /** The run cost at most {@code cost} (USD). */
    record MaxCost(BigDecimal cost) implements Check {
        @Override
        public String describe() {
            return "costs at most $" + cost.toPlainString();
        }
    }

    /** The run used at most {@code tokens} tokens. */
    record MaxTokens(long tokens) implements Check {
        @Override
        public String describe() {
            return "at most " + tokens + " tokens";
        }
    }

    /** A judge model scores the answer against {@code criteria} from 0 to 1. */
    record Judge(String criteria) implements Check {
        @Override
        public String describe() {
            return "judge: " + (criteria.length() > 40 ? criteria.substring(0, 40) + "…" : criteria);
        }
    }

    private static String quote(String text) {
        String shown = text.length() > 30 ? text.substring(0, 30) + "…" : text;
        return "\"" + shown + "\"";
    }
}
