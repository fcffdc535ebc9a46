package io.troupe.tune.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.model.Usage;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.ToolResult;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class GraderTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    private static final TeamSpec TEAM = TeamSpec.builder("desk")
            .members(AgentSpec.builder("planner").model("gpt").build())
            .build();
    private static final String ANSWER = "{\"flight\": \"SK123\", \"time\": \"9:15\"}";
    private static final Outcome DONE = new Outcome.Completed(ANSWER, null);

    /** A run of two model calls and a search, 300 tokens at $0.02. */
    private static final Transcript RUN = new Transcript(
            "run-1",
            List.of(
                    new JournalEvent.RunStarted("run-1", TEAM, "Fly to Oslo", AT),
                    new JournalEvent.LlmRequested(
                            1, "planner", "t1", "gpt", ModelRequest.of(List.of(new ChatMessage.User("Fly"))), "h1", 10),
                    new JournalEvent.LlmCompleted(
                            1,
                            "planner",
                            new ModelResponse(
                                    "",
                                    List.of(new ToolCall("c1", "search", "{}")),
                                    new Usage(100, 50, new BigDecimal("0.01")))),
                    new JournalEvent.ToolRequested(2, "planner", "t1", new ToolCall("c1", "search", "{}"), "run-1:2"),
                    new JournalEvent.ToolCompleted(2, "planner", "c1", ToolResult.ok("SK123")),
                    new JournalEvent.LlmRequested(
                            3, "planner", "t1", "gpt", ModelRequest.of(List.of(new ChatMessage.User("Fly"))), "h3", 10),
                    new JournalEvent.LlmCompleted(
                            3, "planner", ModelResponse.text(ANSWER, new Usage(120, 30, new BigDecimal("0.01")))),
                    new JournalEvent.RunFinished(DONE, new Usage(220, 80, new BigDecimal("0.02")), 2, AT)));

    private static EvalCase rubric(Check... checks) {
        return new EvalCase("oslo", "Fly to Oslo", List.of(checks));
    }

    @Test
    void grade_answerAndJournalChecks_passOrSayWhyNot() {
        Grader grader = new Grader(null, Duration.ofSeconds(5));

        List<CheckResult> results = grader.grade(
                rubric(
                        new Check.Contains(List.of("SK123", "Oslo")),
                        new Check.Equals(" " + ANSWER + "\n"),
                        new Check.Matches("\\d:\\d\\d"),
                        new Check.Schema("{\"type\":\"object\",\"required\":[\"flight\",\"gate\"]}"),
                        new Check.OutcomeIs("completed"),
                        new Check.ToolsCalled(List.of("search", "book")),
                        new Check.ToolsNotCalled(List.of("search")),
                        new Check.MaxSteps(3),
                        new Check.MaxSteps(2),
                        new Check.MaxCost(new BigDecimal("0.01")),
                        new Check.MaxTokens(300)),
                DONE,
                RUN);

        assertThat(results)
                .extracting(CheckResult::score, CheckResult::detail)
                .containsExactly(
                        tuple(0.0, "missing [Oslo] in \"" + ANSWER + "\""),
                        tuple(1.0, ""),
                        tuple(1.0, ""),
                        tuple(0.0, "$: required property 'gate' not found"),
                        tuple(1.0, ""),
                        tuple(0.0, "not called: [book]; called [search]"),
                        tuple(0.0, "called [search]"),
                        tuple(1.0, ""),
                        tuple(0.0, "took 3 steps"),
                        tuple(0.0, "cost $0.02"),
                        tuple(1.0, ""));
    }

    @Test
    void grade_aRunThatDidNotComplete_failsAnswerChecks_withItsOutcome() {
        Outcome cancelled = new Outcome.Cancelled("the case did not finish within 10 s");
        Grader grader = new Grader(null, Duration.ofSeconds(5));

        List<CheckResult> results = grader.grade(
                rubric(new Check.Contains(List.of("SK123")), new Check.OutcomeIs("completed")), cancelled, RUN);

        assertThat(results).extracting(CheckResult::score).containsOnly(0.0);
        assertThat(results.get(0).detail()).startsWith("the run did not complete: ");
        assertThat(results.get(1).detail()).startsWith("the run ended cancelled: ");
    }

    @Test
    void judge_scoresFromZeroToOne_andABrokenOrMissingJudgeFailsTheCheckWithAReason() {
        List<ModelRequest> asked = new ArrayList<>();
        LanguageModel fair = (request, tokens) -> {
            asked.add(request);
            return CompletableFuture.completedFuture(
                    ModelResponse.text("{\"score\": 0.75, \"reason\": \"No gate.\"}", Usage.of(50, 10)));
        };
        LanguageModel generous = (request, tokens) ->
                CompletableFuture.completedFuture(ModelResponse.text("{\"score\": 7, \"reason\": \"!\"}", Usage.ZERO));
        LanguageModel rambling = (request, tokens) ->
                CompletableFuture.completedFuture(ModelResponse.text("Looks fine to me.", Usage.ZERO));
        LanguageModel broken = (request, tokens) -> CompletableFuture.failedFuture(new IllegalStateException("503"));
        EvalCase judged = rubric(new Check.Judge("Names a flight and a gate?"));

        CheckResult score =
                new Grader(fair, Duration.ofSeconds(5)).grade(judged, DONE, RUN).getFirst();
        CheckResult clamped = new Grader(generous, Duration.ofSeconds(5))
                .grade(judged, DONE, RUN)
                .getFirst();
        CheckResult notJson = new Grader(rambling, Duration.ofSeconds(5))
                .grade(judged, DONE, RUN)
                .getFirst();
        CheckResult failed = new Grader(broken, Duration.ofSeconds(5))
                .grade(judged, DONE, RUN)
                .getFirst();
        CheckResult none =
                new Grader(null, Duration.ofSeconds(5)).grade(judged, DONE, RUN).getFirst();

        assertThat(score).isEqualTo(new CheckResult("judge: Names a flight and a gate?", 0.75, "No gate."));
        assertThat(asked.getFirst().responseSchema()).isEqualTo(Grader.JUDGE_SCHEMA);
        assertThat(asked.getFirst().messages().getLast().text())
                .contains("Task:\nFly to Oslo", "Answer:\n" + ANSWER, "Criteria:\nNames a flight and a gate?");
        assertThat(clamped.score()).isEqualTo(1.0);
        assertThat(notJson.detail()).isEqualTo("the judge's reply is not the JSON asked for");
        assertThat(failed.detail()).isEqualTo("the judge failed: 503");
        assertThat(none.detail()).isEqualTo("no judge model: pass --judge MODEL");
    }
}
