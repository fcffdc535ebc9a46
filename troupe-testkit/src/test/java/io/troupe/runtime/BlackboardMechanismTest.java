package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.ModelException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.MechanismSpec.KnowledgeSource;
import io.troupe.api.team.TeamSpec;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Knowledge sources write to a shared board, activated by new entries, until the goal entry appears. */
class BlackboardMechanismTest {
    private static final String TASK = "Write a haiku about Oslo";

    @Test
    void blackboard_activatesTheFirstTriggeredSourceUntilTheGoalIsWritten() {
        ScriptedModel model = new ScriptedModel()
                .on(source("planner"), Reply.text("Fjord, snow, tram."))
                .on(source("writer"), Reply.text("Snow on the fjord"))
                .on(source("critic"), Reply.text("Add the tram."))
                .on(source("factchecker"), Reply.text("Oslo has trams."))
                .on(source("reviser"), Reply.text("Tram bells on the fjord"));
        TeamSpec team = team(
                new MechanismSpec.Blackboard(
                        List.of(
                                new KnowledgeSource("planner", List.of("task"), "outline"),
                                new KnowledgeSource("writer", List.of("outline"), "draft"),
                                new KnowledgeSource("critic", List.of("draft"), "review"),
                                new KnowledgeSource("factchecker", List.of("draft"), "notes"),
                                new KnowledgeSource("reviser", List.of("review"), "final")),
                        "final",
                        10),
                "planner",
                "writer",
                "critic",
                "factchecker",
                "reviser");

        RunRecord run = run(model, team);

        assertThat(run.result()).isEqualTo("Tram bells on the fjord");
        assertThat(((Outcome.Completed) run.outcome()).payload()).isEqualTo("{\"entry\":5,\"author\":\"reviser\"}");
        // Critic and fact-checker are both triggered by the draft: the critic is listed first. The fact-checker
        // still has the draft to respond to, and is listed before the reviser, so it goes next.
        assertThat(run.protocol())
                .containsExactly(
                        "@team→planner REQUEST",
                        "planner→@team INFORM",
                        "@team→writer REQUEST",
                        "writer→@team INFORM",
                        "@team→critic REQUEST",
                        "critic→@team INFORM",
                        "@team→factchecker REQUEST",
                        "factchecker→@team INFORM",
                        "@team→reviser REQUEST",
                        "reviser→@team INFORM");
        List<DecisionRecord> decisions = run.decisions();
        assertThat(decisions)
                .extracting(DecisionRecord::chosen)
                .containsExactly("planner", "writer", "critic", "factchecker", "reviser");
        assertThat(decisions).allSatisfy(d -> {
            assertThat(d.kind()).isEqualTo("activation");
            assertThat(d.rule()).isEqualTo("first-triggered-source");
        });
        DecisionRecord critic = decisions.get(2);
        assertThat(critic.subject()).isEqualTo(run.messages().get(3).id());
        assertThat(critic.reason()).isEqualTo("critic is the first source triggered, by entry #2 (draft)");
        assertThat(critic.options())
                .containsExactly(
                        DecisionRecord.Option.excluded("planner", null, "no new task entry"),
                        DecisionRecord.Option.excluded("writer", null, "no new outline entry"),
                        DecisionRecord.Option.scored("critic", "{\"entry\":2,\"kind\":\"draft\"}", null),
                        DecisionRecord.Option.scored("factchecker", "{\"entry\":2,\"kind\":\"draft\"}", null),
                        DecisionRecord.Option.excluded("reviser", null, "no new review entry"));
        assertThat(decisions.getFirst().subject()).isNull();
        assertThat(decisions.get(3).option("critic").excluded()).isEqualTo("no new draft entry");
        assertThat(decisions.get(3).option("reviser").input()).isEqualTo("{\"entry\":3,\"kind\":\"review\"}");

        // The last prompt shows the whole board with each entry's provenance.
        assertThat(model.requests().getLast().lastUserText())
                .isEqualTo("Blackboard:\n"
                        + "#0 task by @user: Write a haiku about Oslo\n"
                        + "#1 outline by planner (from #0): Fjord, snow, tram.\n"
                        + "#2 draft by writer (from #1): Snow on the fjord\n"
                        + "#3 review by critic (from #2): Add the tram.\n"
                        + "#4 notes by factchecker (from #2): Oslo has trams.\n\n"
                        + "Write a final entry in response to entry #3.");
        model.verify();
    }

    @Test
    void blackboard_failsWhenStuckAndDoesNotRetriggerAFailedSource() {
        ScriptedModel model = new ScriptedModel()
                .on(source("planner"), Reply.text("Fjord, snow, tram."))
                .on(source("writer"), Reply.fail(new ModelException.NonRetriable("401")));
        TeamSpec team = team(
                new MechanismSpec.Blackboard(
                        List.of(
                                new KnowledgeSource("planner", List.of("task"), "outline"),
                                new KnowledgeSource("writer", List.of("outline"), "final")),
                        "final",
                        10),
                "planner",
                "writer");

        RunRecord run = run(model, team);

        assertThat(run.protocol())
                .containsExactly(
                        "@team→planner REQUEST",
                        "planner→@team INFORM",
                        "@team→writer REQUEST",
                        "writer→@team FAILURE");
        assertThat(run.outcome())
                .isEqualTo(new Outcome.Failed("blackboard is stuck: no source is triggered by a new entry and no"
                        + " 'final' entry was written; entries so far: #0 task by @user, #1 outline by planner (from"
                        + " #0); failures: writer failed on #1: the model call failed: 401; sources:"
                        + " planner triggers on [task] and writes outline, writer triggers on [outline] and writes"
                        + " final. Add a source that responds to the newest entries, or check the failures"));
        model.verify();
    }

    @Test
    void blackboard_failsAfterMaxActivations() {
        ScriptedModel model = new ScriptedModel()
                .on(source("writer"), Reply.text("draft one"))
                .on(source("critic"), Reply.text("too short"))
                .on(source("writer"), Reply.text("draft two"))
                .on(source("critic"), Reply.text("still too short"));
        // The writer answers every review and is listed first, so the finisher never gets a turn.
        TeamSpec team = team(
                new MechanismSpec.Blackboard(
                        List.of(
                                new KnowledgeSource("writer", List.of("task", "review"), "draft"),
                                new KnowledgeSource("critic", List.of("draft"), "review"),
                                new KnowledgeSource("finisher", List.of("review"), "final")),
                        "final",
                        4),
                "writer",
                "critic",
                "finisher");

        RunRecord run = run(model, team);

        assertThat(run.decisions())
                .extracting(DecisionRecord::chosen)
                .containsExactly("writer", "critic", "writer", "critic");
        assertThat(run.outcome())
                .isEqualTo(new Outcome.Failed("blackboard reached maxActivations (4) without a 'final' entry; entries"
                        + " so far: #0 task by @user, #1 draft by writer (from #0), #2 review by critic (from #1), #3"
                        + " draft by writer (from #2), #4 review by critic (from #3). Raise maxActivations, or check"
                        + " why no source writes 'final'"));
        model.verify();
    }

    private static Match source(String id) {
        return Match.system("You are the " + id + ".");
    }

    private static TeamSpec team(MechanismSpec.Blackboard blackboard, String... members) {
        return TeamSpec.builder("board")
                .mechanism(blackboard)
                .members(Arrays.stream(members)
                        .map(id -> AgentSpec.of(id, "m", "You are the " + id + "."))
                        .toArray(AgentSpec[]::new))
                .build();
    }

    private static RunRecord run(ScriptedModel model, TeamSpec team) {
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            return harness.run(team, TASK);
        }
    }
}
