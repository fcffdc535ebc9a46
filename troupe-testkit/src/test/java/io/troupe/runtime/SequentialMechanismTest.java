package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.protocol.Performative;
import io.troupe.api.team.TeamSpec;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import org.junit.jupiter.api.Test;

/** Sequential: a pipeline in which each agent gets the task and the previous answer. */
class SequentialMechanismTest {

    @Test
    void sequential_passesEachAnswerToTheNextAgent() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("You write"), Reply.text("Once upon a time"))
                .on(Match.system("You edit").and(Match.lastUser("Once upon a time")), Reply.text("Edited story"));
        TeamSpec team = TeamSpec.builder("workshop")
                .members(
                        AgentSpec.of("writer", "m", "You write stories."),
                        AgentSpec.of("editor", "m", "You edit stories."))
                .sequential("writer", "editor")
                .build();
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            RunRecord run = harness.run(team, "A story about a fox");
            assertThat(run.result()).isEqualTo("Edited story");
            assertThat(run.protocol())
                    .containsExactly(
                            "@team→writer REQUEST",
                            "writer→@team INFORM",
                            "@team→editor REQUEST",
                            "editor→@team INFORM");
            assertThat(run.performatives())
                    .containsExactly(
                            Performative.REQUEST, Performative.INFORM, Performative.REQUEST, Performative.INFORM);
            assertThat(run.messages().get(2).body())
                    .isEqualTo("A story about a fox\n\nwriter answered:\nOnce upon a time");
            assertThat(run.decisions()).isEmpty(); // the order is fixed by the spec: nothing to decide
        }
        model.verify();
    }

    @Test
    void sequential_aFailingStageFailsTheRun_andLaterStagesNeverRun() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("You write"), Reply.fail(new io.troupe.api.ModelException.NonRetriable("401")));
        TeamSpec team = TeamSpec.builder("workshop")
                .members(
                        AgentSpec.of("writer", "m", "You write stories."),
                        AgentSpec.of("editor", "m", "You edit stories."))
                .sequential("writer", "editor")
                .build();
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            RunRecord run = harness.run(team, "A story about a fox");
            assertThat(run.protocol()).containsExactly("@team→writer REQUEST", "writer→@team FAILURE");
            assertThat(run.outcome())
                    .isEqualTo(new io.troupe.api.run.Outcome.Failed(
                            "stage 1 of 2 ('writer') answered FAILURE: the" + " model call failed: 401"));
        }
        model.verify();
    }
}
