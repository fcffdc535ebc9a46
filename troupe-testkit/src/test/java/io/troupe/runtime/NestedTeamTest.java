package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.event.JournalEvent.SubRunCompleted;
import io.troupe.api.event.JournalEvent.SubRunRequested;
import io.troupe.api.run.Budget;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.TeamSpec;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Composition: a team is a member of another team, and runs within what remains of the outer budget. */
class NestedTeamTest {

    private static final TeamSpec RESEARCH = TeamSpec.builder("research")
            .members(
                    AgentSpec.of("searcher", "m", "You search for sources."),
                    AgentSpec.of("summarizer", "m", "You summarize sources."))
            .sequential("searcher", "summarizer")
            .build();

    @Test
    void innerTeam_runsAsAChildConversation_andItsResultFeedsTheOuterTeam() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("You search"), Reply.text("Found three papers on auctions."))
                .on(
                        Match.system("You summarize").and(Match.lastUser("Found three papers")),
                        Reply.text("Auctions allocate tasks well."))
                .on(
                        Match.system("You write").and(Match.lastUser("Auctions allocate tasks well.")),
                        Reply.text("Report: auctions allocate tasks well."));
        TeamSpec outer = TeamSpec.builder("newsroom")
                .members(
                        AgentSpec.ofTeam("research", "researcher", RESEARCH),
                        AgentSpec.of("writer", "m", "You write reports."))
                .sequential("research", "writer")
                .budget(Budget.DEFAULT.withMaxTurns(10))
                .build();

        RunRecord run;
        Transcript child;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            run = harness.run(outer, "Write a report on task auctions");
            String childId = run.ofType(SubRunRequested.class).getFirst().childConversationId();
            child = harness.troupe().replay(childId).toCompletableFuture().join();
        }

        assertThat(run.result()).isEqualTo("Report: auctions allocate tasks well.");
        assertThat(run.protocol())
                .containsExactly(
                        "@team→research REQUEST",
                        "research→@team INFORM",
                        "@team→writer REQUEST",
                        "writer→@team INFORM");
        assertThat(run.messages().get(1).body()).isEqualTo("Auctions allocate tasks well.");

        // The child run is a conversation of its own, with the outer request as its task.
        SubRunRequested requested = run.ofType(SubRunRequested.class).getFirst();
        assertThat(requested.childConversationId()).isEqualTo(run.conversationId() + "." + requested.step());
        assertThat(requested.task()).contains("Write a report on task auctions");
        assertThat(child.messages())
                .extracting(m -> m.sender() + " " + m.performative())
                .containsExactly("@team REQUEST", "searcher INFORM", "@team REQUEST", "summarizer INFORM");
        assertThat(child.outcome()).contains(new Outcome.Completed("Auctions allocate tasks well.", null));

        // Budgets are inherited: the child may use only what the outer run has left, and its spending is charged
        // to the outer run.
        assertThat(requested.budget().maxTurns()).isEqualTo(10);
        SubRunCompleted completed = run.ofType(SubRunCompleted.class).getFirst();
        assertThat(completed.turns()).isEqualTo(2);
        assertThat(completed.usage()).isEqualTo(child.usage());
        assertThat(run.transcript().usageByAgent().keySet()).containsExactly("research", "writer");
        assertThat(run.transcript().usageByAgent().get("research")).isEqualTo(child.usage());
        assertThat(run.transcript().usage())
                .isEqualTo(child.usage().plus(run.transcript().usageByAgent().get("writer")));
        model.verify();
    }

    @Test
    void innerTeam_isCappedByTheOuterBudget_andItsOverrunEndsTheOuterRun() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("You write"), Reply.text("Draft."))
                .on(Match.system("You search"), Reply.text("Found sources."));
        TeamSpec outer = TeamSpec.builder("newsroom")
                .members(
                        AgentSpec.of("writer", "m", "You write reports."),
                        AgentSpec.ofTeam("research", "researcher", RESEARCH))
                .sequential("writer", "research")
                .budget(Budget.DEFAULT.withMaxTurns(2).withMaxWallTime(Duration.ofMinutes(1)))
                .build();

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            run = harness.run(outer, "Write a report");
        }

        // The writer used one of two turns, so the child may use one: the summarizer never runs.
        SubRunRequested requested = run.ofType(SubRunRequested.class).getFirst();
        assertThat(requested.budget().maxTurns()).isEqualTo(1);
        assertThat(requested.budget().maxWallTime()).isLessThanOrEqualTo(Duration.ofMinutes(1));
        SubRunCompleted completed = run.ofType(SubRunCompleted.class).getFirst();
        assertThat(completed.outcome()).isInstanceOf(Outcome.BudgetExceeded.class);
        assertThat(run.protocol())
                .containsExactly("@team→writer REQUEST", "writer→@team INFORM", "@team→research REQUEST");
        // The child's turn is charged to the outer run, which has then spent its two.
        assertThat(completed.turns()).isEqualTo(1);
        assertThat(run.outcome()).isEqualTo(new Outcome.BudgetExceeded(Budget.Resource.TURNS, "2", "2"));
        model.verify();
    }
}
