package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.agent.MemoryPolicy;
import io.troupe.api.budget.Budget;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.run.JournalEvent.LlmRequested;
import io.troupe.api.run.JournalEvent.RunFinished;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.NextAction;
import io.troupe.api.team.TeamSpec;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every run is bounded: turns, tokens, cost and wall-clock time, plus a guard against loops. */
class BudgetIT {

    @Test
    void managerThatDelegatesForever_stopsAtTheTurnBudget() {
        int maxTurns = 9;
        ScriptedModel model = ScriptedModel.unordered();
        for (int i = 0; i < 40; i++) {
            model.on(
                    Match.system("You manage"),
                    Reply.toolCall("delegate", "{\"worker\":\"helper\",\"task\":\"Do part " + i + "\"}"));
            model.on(Match.system("You help"), Reply.text("Done part " + i));
        }
        TeamSpec team = TeamSpec.builder("endless")
                .members(AgentSpec.of("boss", "m", "You manage."), AgentSpec.of("helper", "m", "You help."))
                .managerWorkers("boss", "helper")
                .budget(Budget.DEFAULT.withMaxTurns(maxTurns))
                .build();

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            run = harness.run(team, "Never stop delegating");
        }

        assertThat(run.outcome()).isEqualTo(new Outcome.BudgetExceeded(Budget.Resource.TURNS, "9", "9", "1"));
        // Checked before every call: the run stops exactly at the limit, never one call past it.
        assertThat(run.ofType(LlmRequested.class)).hasSize(maxTurns);
        assertThat(model.requests()).hasSize(maxTurns);
        assertThat(run.ofType(RunFinished.class).getFirst().turns()).isEqualTo(maxTurns);
        assertThat(run.journal().getLast()).isInstanceOf(RunFinished.class);
    }

    @Test
    void tokenBudget_isEnforcedWithTheUsageTheModelReports_andRefusesACallThatCannotFit() {
        // Each call reports 40 tokens; the budget is 100. After two calls 20 tokens are left, fewer than the third
        // prompt needs, so the third call is never made: the run stops within its budget.
        ScriptedModel counted = new ScriptedModel();
        for (int i = 0; i < 3; i++) {
            counted.on(Match.any(), Reply.text("thought " + i, new Usage(30, 10, java.math.BigDecimal.ZERO)));
        }
        TeamSpec team = TeamSpec.builder("chatty")
                .members(AgentSpec.of("talker", "m", "You talk."))
                .mechanism(new MechanismSpec.Custom("again", Map.of(), List.of("talker")))
                .budget(Budget.DEFAULT.withMaxTokens(100))
                .build();

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(
                TroupeHarness.runtime().model("m", counted).mechanism("again", spec -> askAgainAndAgain()))) {
            run = harness.run(team, "Talk");
        }

        assertThat(run.outcome()).isInstanceOfSatisfying(Outcome.BudgetExceeded.class, exceeded -> {
            assertThat(exceeded.resource()).isEqualTo(Budget.Resource.TOKENS);
            assertThat(exceeded.limit()).isEqualTo("100");
            assertThat(exceeded.used()).isEqualTo("80");
            assertThat(exceeded.needed()).startsWith("about ");
        });
        assertThat(run.ofType(LlmRequested.class)).hasSize(2);
        // Each call may answer with at most what the budget has left after its prompt.
        assertThat(run.ofType(LlmRequested.class))
                .allSatisfy(r -> assertThat(r.request().maxOutputTokens())
                        .isEqualTo((int) (100 - r.estimatedInputTokens() - 40L * (r.step() - 1))));
        assertThat(run.ofType(RunFinished.class).getFirst().usage()).isEqualTo(Usage.of(60, 20));
        assertThat(counted.requests()).hasSize(2);
    }

    @Test
    void wallClockBudget_endsARunWhoseModelHangs() {
        ScriptedModel model = new ScriptedModel().on(Match.any(), Reply.hang());
        TeamSpec team = TeamSpec.builder("stuck")
                .members(AgentSpec.of("sleeper", "m", "You never answer."))
                .budget(Budget.DEFAULT.withMaxWallTime(Duration.ofMillis(800)))
                .build();

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            run = harness.run(team, "Answer");
        }

        assertThat(run.outcome()).isInstanceOfSatisfying(Outcome.BudgetExceeded.class, exceeded -> {
            assertThat(exceeded.resource()).isEqualTo(Budget.Resource.WALL_TIME);
            assertThat(exceeded.limit()).isEqualTo("PT0.8S");
        });
        RunFinished finished = run.ofType(RunFinished.class).getFirst();
        assertThat(Duration.between(
                        run.ofType(io.troupe.api.run.JournalEvent.RunStarted.class)
                                .getFirst()
                                .startedAt(),
                        finished.finishedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(800));
        model.verify();
    }

    @Test
    void repetitionGuard_endsARunThatSendsTheSamePromptThreeTimes() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.any(), Reply.text("Same answer"))
                .on(Match.any(), Reply.text("Same answer"));
        TeamSpec team = TeamSpec.builder("loop")
                .members(AgentSpec.builder("parrot")
                        .model("m")
                        .instructions("You repeat.")
                        .memory(MemoryPolicy.NONE)
                        .build())
                .mechanism(new MechanismSpec.Custom("again", Map.of(), List.of("parrot")))
                .build();

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(
                TroupeHarness.runtime().model("m", model).mechanism("again", spec -> askAgainAndAgain()))) {
            run = harness.run(team, "Say it");
        }

        assertThat(run.ofType(LlmRequested.class)).hasSize(2);
        assertThat(run.outcome())
                .isInstanceOfSatisfying(
                        Outcome.Failed.class,
                        failed -> assertThat(failed.reason())
                                .startsWith(
                                        "repetition guard: agent 'parrot' was about to send the same prompt 3 times")
                                .endsWith("change the agent's instructions or the team's mechanism"));
        model.verify();
    }

    @Test
    void aRunThatNeedsExactlyItsTurns_completesUnderThatBudget() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("You write"), Reply.text("Draft."))
                .on(Match.system("You edit"), Reply.text("Edited."));
        TeamSpec team = TeamSpec.builder("pair")
                .members(AgentSpec.of("writer", "m", "You write."), AgentSpec.of("editor", "m", "You edit."))
                .sequential("writer", "editor")
                .budget(Budget.DEFAULT.withMaxTurns(2))
                .build();

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            run = harness.run(team, "Write");
        }

        assertThat(run.outcome()).isEqualTo(new Outcome.Completed("Edited.", null));
        assertThat(run.ofType(RunFinished.class).getFirst().turns()).isEqualTo(2);
        model.verify();
    }

    @Test
    void theCostBudget_endsARunThatAPricedModelWouldOverspend() {
        // Each call costs $0.40; with $1.00 the third call is the last the run can start, and nothing follows it.
        Usage priced = new Usage(100, 20, new java.math.BigDecimal("0.40"));
        ScriptedModel model = new ScriptedModel();
        for (int i = 0; i < 3; i++) {
            model.on(Match.any(), Reply.text("thought " + i, priced));
        }
        TeamSpec team = TeamSpec.builder("spender")
                .members(AgentSpec.of("talker", "m", "You talk."))
                .mechanism(new MechanismSpec.Custom("again", Map.of(), List.of("talker")))
                .budget(Budget.DEFAULT.withMaxCost(new java.math.BigDecimal("1.00")))
                .build();

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(
                TroupeHarness.runtime().model("m", model).mechanism("again", spec -> askAgainAndAgain()))) {
            run = harness.run(team, "Talk");
        }

        assertThat(run.outcome()).isEqualTo(new Outcome.BudgetExceeded(Budget.Resource.COST, "$1.00", "$1.20"));
        assertThat(run.ofType(LlmRequested.class)).hasSize(3);
        model.verify();
    }

    @Test
    void theOutputLimit_shrinksAsTheTokenBudgetRunsOut() {
        ScriptedModel model = new ScriptedModel();
        for (int i = 0; i < 4; i++) {
            model.on(Match.any(), Reply.text("thought " + i, new Usage(100, 150, java.math.BigDecimal.ZERO)));
        }
        TeamSpec team = TeamSpec.builder("chatty")
                .members(AgentSpec.of("talker", "m", "You talk."))
                .mechanism(new MechanismSpec.Custom("again", Map.of(), List.of("talker")))
                .budget(Budget.DEFAULT.withMaxTokens(1000))
                .build();

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(
                TroupeHarness.runtime().model("m", model).mechanism("again", spec -> askAgainAndAgain()))) {
            run = harness.run(team, "Talk");
        }

        List<Integer> limits = run.ofType(LlmRequested.class).stream()
                .map(r -> r.request().maxOutputTokens())
                .toList();
        assertThat(limits).hasSize(4).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(limits.getFirst()).isGreaterThan(limits.getLast() + 3 * 200);
        assertThat(run.outcome()).isInstanceOf(Outcome.BudgetExceeded.class);
    }

    @Test
    void aTenWorkerFanOut_staysWithinTheTokenBudget_evenIfEveryWorkerUsesAllItMay() {
        // A model that answers with all the output it is allowed, the worst case for a budget.
        io.troupe.api.model.LanguageModel greedy = (request, tokens) ->
                java.util.concurrent.CompletableFuture.completedFuture(io.troupe.api.model.ModelResponse.text(
                        "Done.", Usage.of(request.estimatedTokens(), request.maxOutputTokens())));
        TeamSpec team = tenWorkers(Budget.DEFAULT.withMaxTokens(5_000));

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", greedy))) {
            run = harness.run(team, "Work");
        }

        long spent = run.ofType(RunFinished.class).getFirst().usage().totalTokens();
        assertThat(run.ofType(LlmRequested.class)).hasSize(10);
        assertThat(spent).isLessThanOrEqualTo(5_000).isGreaterThan(4_000);
        assertThat(run.outcome()).isInstanceOf(Outcome.Completed.class);
    }

    /** Ten workers of model {@code m} in parallel, under {@code budget}. */
    private static TeamSpec tenWorkers(Budget budget) {
        TeamSpec.Builder builder = TeamSpec.builder("fan");
        List<String> workers = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            builder.member(AgentSpec.of("w" + i, "m", "You work."));
            workers.add("w" + i);
        }
        return builder.mechanism(new MechanismSpec.Parallel(workers, null))
                .budget(budget)
                .build();
    }

    /**
     * A model with a price ($100 per million prompt tokens, $200 per million answer tokens) that answers with all the
     * output it is allowed, the worst case for a cost budget.
     */
    private static io.troupe.api.model.LanguageModel greedyPriced(java.util.List<Integer> limits) {
        return new io.troupe.api.model.LanguageModel() {
            @Override
            public java.util.concurrent.CompletionStage<io.troupe.api.model.ModelResponse> generate(
                    io.troupe.api.model.ModelRequest request, io.troupe.api.model.TokenSink tokens) {
                limits.add(request.maxOutputTokens());
                long output = request.maxOutputTokens() == null ? 100_000 : request.maxOutputTokens();
                return java.util.concurrent.CompletableFuture.completedFuture(io.troupe.api.model.ModelResponse.text(
                        "Done.",
                        new Usage(request.estimatedTokens(), output, estimateCost(request.estimatedTokens(), output))));
            }

            @Override
            public java.math.BigDecimal estimateCost(long inputTokens, long outputTokens) {
                return java.math.BigDecimal.valueOf(100 * inputTokens + 200 * outputTokens, 6);
            }
        };
    }

    @Test
    void aTenWorkerFanOut_staysWithinTheCostBudget_whenTheModelKnowsItsPrice() {
        List<Integer> limits = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        TeamSpec team = tenWorkers(Budget.DEFAULT.withMaxCost(new java.math.BigDecimal("0.50")));

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", greedyPriced(limits)))) {
            run = harness.run(team, "Work");
        }

        java.math.BigDecimal spent =
                run.ofType(RunFinished.class).getFirst().usage().cost();
        assertThat(run.ofType(LlmRequested.class)).hasSize(10);
        assertThat(limits)
                .hasSize(10)
                .doesNotContainNull()
                .allSatisfy(limit -> assertThat(limit).isLessThan(250));
        assertThat(spent)
                .isLessThanOrEqualTo(new java.math.BigDecimal("0.50"))
                .isGreaterThan(new java.math.BigDecimal("0.40"));
        assertThat(run.outcome()).isInstanceOf(Outcome.Completed.class);
    }

    @Test
    void aPromptThatCostsMoreThanTheMoneyLeft_isRefusedBeforeTheCall() {
        List<Integer> limits = new java.util.ArrayList<>();
        TeamSpec team = TeamSpec.builder("reader")
                .members(AgentSpec.of("reader", "m", "You read."))
                .budget(Budget.DEFAULT.withMaxCost(new java.math.BigDecimal("0.10")))
                .build();
        String long_ = "word ".repeat(4_000); // about 5,000 tokens: $0.50 of prompt

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", greedyPriced(limits)))) {
            run = harness.run(team, long_);
        }

        assertThat(limits).isEmpty();
        assertThat(run.ofType(LlmRequested.class)).isEmpty();
        assertThat(run.outcome()).isInstanceOfSatisfying(Outcome.BudgetExceeded.class, exceeded -> {
            assertThat(exceeded.resource()).isEqualTo(Budget.Resource.COST);
            assertThat(exceeded.used()).isEqualTo("$0");
            assertThat(exceeded.describe()).contains("the next call needed about $0.5");
        });
    }

    @Test
    void aTwoMegabytePrompt_isRefusedBeforeTheCall_withinTheTokenBudget() {
        ScriptedModel model = new ScriptedModel();
        TeamSpec team = TeamSpec.builder("reader")
                .members(AgentSpec.of("reader", "m", "You read."))
                .budget(Budget.DEFAULT.withMaxTokens(50_000))
                .build();
        String huge = "word ".repeat(400_000);

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            run = harness.run(team, huge);
        }

        assertThat(model.requests()).isEmpty();
        assertThat(run.ofType(LlmRequested.class)).isEmpty();
        assertThat(run.outcome()).isInstanceOfSatisfying(Outcome.BudgetExceeded.class, exceeded -> {
            assertThat(exceeded.resource()).isEqualTo(Budget.Resource.TOKENS);
            assertThat(exceeded.used()).isEqualTo("0");
            assertThat(exceeded.describe()).contains("the next call needed about 5");
        });
    }

    @Test
    void anAgentsOwnBudget_endsItsTurn_whileTheRunGoesOn() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("You draft"), Reply.text("Draft."))
                .on(Match.system("You check"), Reply.text("Checked."));
        TeamSpec team = TeamSpec.builder("desk")
                .members(
                        AgentSpec.builder("drafter")
                                .model("m")
                                .instructions("You draft.")
                                .budget(Budget.DEFAULT.withMaxTurns(1))
                                .build(),
                        AgentSpec.of("checker", "m", "You check."))
                .mechanism(new MechanismSpec.GroupChat(
                        List.of("drafter", "checker"),
                        MechanismSpec.SpeakerSelection.ROUND_ROBIN,
                        null,
                        List.of(),
                        3,
                        null))
                .build();

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            run = harness.run(team, "Write");
        }

        // The drafter's second turn fails without a call; the chat goes on to its end.
        assertThat(run.protocol()).hasSize(6);
        assertThat(run.messages().get(5).body())
                .isEqualTo("agent 'drafter' ran out of its own budget (budget exceeded: turns used 1 of 1, and the"
                        + " next call needed 1 more; raise the budget or simplify the task)");
        assertThat(run.ofType(LlmRequested.class)).hasSize(2);
        model.verify();
    }

    @Test
    void maxIterations_endsATurnThatNeverAnswers() {
        io.troupe.api.tool.Tool echo = io.troupe.api.tool.Tool.of(
                new io.troupe.api.tool.ToolDefinition(
                        "echo", "Echoes.", io.troupe.api.tool.ToolDefinition.NO_PARAMETERS),
                call -> io.troupe.api.tool.ToolResult.ok("echo"));
        ScriptedModel model = ScriptedModel.unordered();
        for (int i = 0; i < 3; i++) {
            model.on(Match.any(), Reply.toolCall("echo", "{}"));
        }
        TeamSpec team = TeamSpec.builder("loop")
                .members(AgentSpec.builder("looper")
                        .model("m")
                        .instructions("You loop.")
                        .tools("echo")
                        .maxIterations(3)
                        .build())
                .build();

        RunRecord run;
        try (TroupeHarness harness =
                TroupeHarness.start(TroupeHarness.runtime().model("m", model).tool(echo))) {
            run = harness.run(team, "Go");
        }

        assertThat(run.ofType(LlmRequested.class)).hasSize(3);
        assertThat(run.firstMessage("looper", Performative.FAILURE).body())
                .isEqualTo("agent 'looper' made 3 model calls without answering, its limit (max-iterations: 3 in a"
                        + " spec, maxIterations in Java); raise it or simplify the request");
        model.verify();
    }

    /** A mechanism that asks the only member the same question forever. */
    private static io.troupe.api.team.Collaboration askAgainAndAgain() {
        return conversation -> {
            if (!conversation.awaitingReply().isEmpty()) {
                return new NextAction.Await();
            }
            Message ask = conversation
                    .newMessage()
                    .to(conversation.team().members().getFirst().id())
                    .performative(Performative.REQUEST)
                    .body(conversation.task())
                    .build();
            return NextAction.invoke(NextAction.Invocation.of(ask));
        };
    }
}
