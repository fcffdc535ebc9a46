package io.troupe.tune.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Scores a run against a case's rubric: the answer, the journal, and the judge model's opinion. */
final class Grader {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String JUDGE_SCHEMA = "{\"type\":\"object\",\"properties\":{\"score\":{\"type\":\"number\","
            + "\"minimum\":0,\"maximum\":1},\"reason\":{\"type\":\"string\"}},\"required\":[\"score\",\"reason\"]}";

    private final @Nullable LanguageModel judge;
    private final Duration judgeTimeout;

    Grader(@Nullable LanguageModel judge, Duration judgeTimeout) {
        this.judge = judge;
        this.judgeTimeout = judgeTimeout;
    }

    List<CheckResult> grade(EvalCase evalCase, Outcome outcome, Transcript transcript) {
        List<CheckResult> results = new ArrayList<>();
        String answer = outcome instanceof Outcome.Completed done ? done.result() : null;
        String payload = outcome instanceof Outcome.Completed done && done.payload() != null ? done.payload() : answer;
        String notCompleted = "the run did not complete: "
                + outcome.describe().lines().findFirst().orElse("");
        for (Check check : evalCase.checks()) {
            String name = check.describe();
            results.add(
                    switch (check) {
                        case Check.Equals equals ->
                            answer == null
                                    ? fail(name, notCompleted)
                                    : result(
                                            name,
                                            answer.strip().equals(equals.text().strip()),
                                            "the answer was " + quote(answer));
                        case Check.Contains contains -> {
                            if (answer == null) {
                                yield fail(name, notCompleted);
                            }
                            List<String> missing = contains.texts().stream()
                                    .filter(t -> !answer.contains(t))
                                    .toList();
                            yield result(name, missing.isEmpty(), "missing " + missing + " in " + quote(answer));
                        }
                        case Check.Matches matches ->
                            answer == null
                                    ? fail(name, notCompleted)
                                    : result(
                                            name,
                                            Pattern.compile(matches.regex())
                                                    .matcher(answer)
                                                    .find(),
                                            "no match in " + quote(answer));
                        case Check.Schema schema ->
                            payload == null ? fail(name, notCompleted) : schema(name, schema, payload);
                        case Check.OutcomeIs expected ->
                            result(
                                    name,
                                    expected.outcome().equals(outcome(outcome)),
                                    "the run ended " + outcome(outcome) + ": "
                                            + outcome.describe()
                                                    .lines()
                                                    .findFirst()
                                                    .orElse(""));
                        case Check.ToolsCalled called -> {
                            Set<String> used = toolsCalled(transcript);
                            List<String> missing = called.tools().stream()
                                    .filter(t -> !used.contains(t))
                                    .toList();
                            yield result(name, missing.isEmpty(), "not called: " + missing + "; called " + used);
                        }
                        case Check.ToolsNotCalled notCalled -> {
                            Set<String> used = toolsCalled(transcript);
                            List<String> forbidden = notCalled.tools().stream()
                                    .filter(used::contains)
                                    .toList();
                            yield result(name, forbidden.isEmpty(), "called " + forbidden);
                        }
                        case Check.MaxSteps max -> {
                            long steps = transcript.events().stream()
                                    .filter(e -> e instanceof JournalEvent.LlmRequested
                                            || e instanceof JournalEvent.ToolRequested)
                                    .count();
                            yield result(name, steps <= max.steps(), "took " + steps + " steps");
                        }
                        case Check.MaxCost max -> {
                            BigDecimal cost = transcript.usage().cost();
                            yield result(name, cost.compareTo(max.cost()) <= 0, "cost $" + cost.toPlainString());
                        }
                        case Check.MaxTokens max -> {
                            Usage usage = transcript.usage();
                            long tokens = usage.inputTokens() + usage.outputTokens();
                            yield result(name, tokens <= max.tokens(), "used " + tokens + " tokens");
                        }
                        case Check.Judge criteria ->
                            answer == null
                                    ? fail(name, notCompleted)
                                    : judge(name, evalCase.task(), answer, criteria.criteria());
                    });
        }
        return results;
    }

    static String outcome(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Completed c -> "completed";
            case Outcome.Failed f -> "failed";
            case Outcome.BudgetExceeded b -> "budget-exceeded";
            case Outcome.Cancelled c -> "cancelled";
        };
    }

    private CheckResult judge(String name, String task, String answer, String criteria) {
        if (judge == null) {
            return fail(name, "no judge model: pass --judge MODEL");
        }
        ModelRequest request = new ModelRequest(
                List.of(
                        new ChatMessage.System("You grade the answer of an AI agent against criteria. Reply with JSON:"
                                + " {\"score\": a number from 0 (fails the criteria) to 1 (meets them fully),"
                                + " \"reason\": one sentence}."),
                        new ChatMessage.User(
                                "Task:\n" + task + "\n\nAnswer:\n" + answer + "\n\nCriteria:\n" + criteria)),
                List.of(),
                JUDGE_SCHEMA);
        try {
            ModelResponse response =
                    judge.generate(request).toCompletableFuture().get(judgeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            JsonNode verdict = JSON.readTree(response.text());
            double score = Math.max(0, Math.min(1, verdict.path("score").asDouble(0)));
            return new CheckResult(name, score, verdict.path("reason").asText(""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(name, "interrupted while the judge was grading");
        } catch (IOException e) {
            return fail(name, "the judge's reply is not the JSON asked for");
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return fail(name, "the judge failed: " + cause.getMessage());
        }
    }

    private static CheckResult schema(String name, Check.Schema check, String payload) {
        JsonNode value;
        try {
            value = JSON.readTree(payload);
        } catch (IOException e) {
            return fail(name, "the answer is not JSON: " + quote(payload));
        }
        JsonSchema schema =
                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(check.schema());
        Set<ValidationMessage> errors = schema.validate(value);
        return result(
                name,
                errors.isEmpty(),
                errors.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; ")));
    }

    private static Set<String> toolsCalled(Transcript transcript) {
        Set<String> tools = new HashSet<>();
        for (JournalEvent event : transcript.events()) {
            if (event instanceof JournalEvent.ToolRequested requested) {
                tools.add(requested.call().name());
            }
        }
        return tools;
    }

    private static CheckResult result(String name, boolean passed, String detail) {
        return new CheckResult(name, passed ? 1 : 0, passed ? "" : detail);
    }

    private static CheckResult fail(String name, String detail) {
        return new CheckResult(name, 0, detail);
    }

    private static String quote(String text) {
        String line = text.replace('\n', ' ');
        return "\"" + (line.length() > 80 ? line.substring(0, 80) + "…" : line) + "\"";
    }

    static String percent(double score) {
        return String.format(Locale.ROOT, "%.0f%%", score * 100);
    }
}
