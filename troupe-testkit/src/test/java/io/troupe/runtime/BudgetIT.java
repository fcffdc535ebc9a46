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
