package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.ModelException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.run.JournalEvent.LlmCompleted;
import io.troupe.api.run.JournalEvent.LlmRequested;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.TeamSpec;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Parallel fan-out: every worker answers at once, then a combiner merges the answers. */
class ParallelMechanismTest {
    private static final String TASK = "Name a good city for a conference";

    @Test
    void parallel_asksEveryWorkerAtOnceAndTheCombinerMergesTheirAnswers() {
        ScriptedModel model = ScriptedModel.unordered()
                // Each worker answers after 300 ms: in parallel, all three are in flight at once.
                .on(Match.system("Alice scouts"), slow("Oslo: good venues."))
                .on(Match.system("Bob scouts"), slow("Lisbon: cheap flights."))
                .on(Match.system("Carol scouts"), slow("Vienna: central."))
                .on(Match.system("You combine"), Reply.text("Lisbon, for its flights."));

        RunRecord run = run(model, team("judge"));

        assertThat(run.result()).isEqualTo("Lisbon, for its flights.");
        List<String> protocol = run.protocol();
        assertThat(protocol).hasSize(8);
        assertThat(protocol.subList(0, 3))
                .containsExactlyInAnyOrder("@team→alice REQUEST", "@team→bob REQUEST", "@team→carol REQUEST");
        assertThat(protocol.subList(3, 6))
                .containsExactlyInAnyOrder("alice→@team INFORM", "bob→@team INFORM", "carol→@team INFORM");
        assertThat(protocol.subList(6, 8)).containsExactly("@team→judge REQUEST", "judge→@team INFORM");
        assertThat(run.messages().subList(0, 3))
                .allSatisfy(m -> assertThat(m.body()).isEqualTo(TASK));

        // All three workers' calls were requested before any completed: they ran in parallel.
        int lastWorkerRequest = run.lastIndexOf(e -> e instanceof LlmRequested r && isWorker(r.agentId()));
        int firstWorkerCompletion = run.firstIndexOf(e -> e instanceof LlmCompleted c && isWorker(c.agentId()));
        assertThat(lastWorkerRequest).isLessThan(firstWorkerCompletion);

        // The combiner saw the task and every answer, labelled by worker id, in worker order.
        assertThat(run.messages().get(6).body())
                .isEqualTo(TASK + "\n\nalice answered:\nOslo: good venues.\n\nbob answered:\nLisbon: cheap flights."
                        + "\n\ncarol answered:\nVienna: central.\n\nCombine the answers into one.");

        DecisionRecord decision = run.decisions().getFirst();
        assertThat(run.decisions()).hasSize(1);
        assertThat(decision.kind()).isEqualTo("combine");
        assertThat(decision.rule()).isEqualTo("combiner:judge");
        assertThat(decision.chosen()).isNull();
        assertThat(decision.options())
                .containsExactly(
                        DecisionRecord.Option.scored("alice", "Oslo: good venues.", null),
                        DecisionRecord.Option.scored("bob", "Lisbon: cheap flights.", null),
                        DecisionRecord.Option.scored("carol", "Vienna: central.", null));
        model.verify();
    }

    @Test
    void parallel_withoutCombiner_listsEachAnswerUnderItsWorkerInWorkerOrder() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(Match.system("Carol scouts"), Reply.text("Vienna."))
                .on(Match.system("Alice scouts"), slow("Oslo."))
                .on(Match.system("Bob scouts"), Reply.text("Lisbon."));

        RunRecord run = run(model, team(null));

        assertThat(run.result()).isEqualTo("alice:\nOslo.\n\nbob:\nLisbon.\n\ncarol:\nVienna.");
        assertThat(run.protocol()).hasSize(6);
        assertThat(run.protocol().subList(0, 3))
                .containsExactlyInAnyOrder("@team→alice REQUEST", "@team→bob REQUEST", "@team→carol REQUEST");
        assertThat(run.decisions()).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo("combine");
            assertThat(d.rule()).isEqualTo("concatenate");
        });
        model.verify();
    }

    @Test
    void parallel_whenOneWorkerFails_theCombinerMergesTheOthersAndIsToldWhoFailed() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(Match.system("Alice scouts"), Reply.text("Oslo."))
                .on(Match.system("Bob scouts"), Reply.fail(new ModelException.NonRetriable("401")))
                .on(Match.system("Carol scouts"), Reply.text("Vienna."))
                .on(Match.system("You combine"), Reply.text("Oslo or Vienna."));

        RunRecord run = run(model, team("judge"));

        assertThat(run.result()).isEqualTo("Oslo or Vienna.");
        assertThat(run.protocol().subList(3, 6))
                .containsExactlyInAnyOrder("alice→@team INFORM", "bob→@team FAILURE", "carol→@team INFORM");
        assertThat(run.protocol().subList(6, 8)).containsExactly("@team→judge REQUEST", "judge→@team INFORM");

        DecisionRecord decision = run.decisions().getFirst();
        assertThat(decision.option("alice").excluded()).isNull();
        assertThat(decision.option("carol").excluded()).isNull();
        DecisionRecord.Option bob = decision.option("bob");
        assertThat(bob.excluded()).isEqualTo("answered FAILURE: the model call failed: 401");
        assertThat(bob.input()).isNull();
        assertThat(decision.reason()).contains("excluded 1 failed worker");

        String prompt = run.messages().get(6).body();
        assertThat(prompt).contains("alice answered:\nOslo.", "carol answered:\nVienna.");
        assertThat(prompt).doesNotContain("bob answered:");
        assertThat(prompt)
                .contains("These workers failed and gave no answer:\n"
                        + "bob answered FAILURE: the model call failed: 401");
        model.verify();
    }

    @Test
    void parallel_whenEveryWorkerFails_failsNamingEachWorker() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(Match.system("Alice scouts"), Reply.fail(new ModelException.NonRetriable("401")))
                .on(Match.system("Bob scouts"), Reply.fail(new ModelException.NonRetriable("402")))
                .on(Match.system("Carol scouts"), Reply.fail(new ModelException.NonRetriable("403")));

        RunRecord run = run(model, team("judge"));

        assertThat(run.outcome())
                .isEqualTo(new Outcome.Failed("every worker failed: 'alice' answered FAILURE: the model call failed:"
                        + " 401; 'bob' answered FAILURE: the model call failed: 402;"
                        + " 'carol' answered FAILURE: the model call failed: 403"));
        assertThat(run.protocol()).hasSize(6).doesNotContain("@team→judge REQUEST");
        assertThat(run.decisions()).isEmpty();
        model.verify();
    }

    @Test
    void parallel_whenTheCombinerFails_fails() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(Match.system("Alice scouts"), Reply.text("Oslo."))
                .on(Match.system("Bob scouts"), Reply.text("Lisbon."))
                .on(Match.system("Carol scouts"), Reply.text("Vienna."))
                .on(Match.system("You combine"), Reply.fail(new ModelException.NonRetriable("500")));

        RunRecord run = run(model, team("judge"));

        assertThat(run.outcome())
                .isEqualTo(new Outcome.Failed("combiner 'judge' answered FAILURE: the model call failed: 500"));
        assertThat(run.protocol().getLast()).isEqualTo("judge→@team FAILURE");
        model.verify();
    }

    private static TeamSpec team(@Nullable String combiner) {
        TeamSpec.Builder builder = TeamSpec.builder("scouts")
                .members(
                        AgentSpec.of("alice", "m", "Alice scouts cities in the north."),
                        AgentSpec.of("bob", "m", "Bob scouts cities in the south."),
                        AgentSpec.of("carol", "m", "Carol scouts cities in the east."));
        if (combiner != null) {
            builder = builder.member(AgentSpec.of(combiner, "m", "You combine scouting reports."));
        }
        return builder.mechanism(new MechanismSpec.Parallel(List.of("alice", "bob", "carol"), combiner))
                .build();
    }

    private static RunRecord run(ScriptedModel model, TeamSpec team) {
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            return harness.run(team, TASK);
        }
    }

    private static Reply slow(String text) {
        return ((Reply.Respond) Reply.text(text)).after(Duration.ofMillis(300));
    }

    private static boolean isWorker(String agentId) {
        return List.of("alice", "bob", "carol").contains(agentId);
    }
}
