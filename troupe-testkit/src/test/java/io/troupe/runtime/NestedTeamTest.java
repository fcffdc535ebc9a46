package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.protocol.Performative;
import io.troupe.api.run.JournalEvent.SubRunCompleted;
import io.troupe.api.run.JournalEvent.SubRunRequested;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.Member;
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
                        Member.team("research", "researcher", RESEARCH),
                        Member.of(AgentSpec.of("writer", "m", "You write reports.")))
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
                        Member.of(AgentSpec.of("writer", "m", "You write reports.")),
                        Member.team("research", "researcher", RESEARCH))
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
        assertThat(run.outcome()).isEqualTo(new Outcome.BudgetExceeded(Budget.Resource.TURNS, "2", "2", "1"));
        model.verify();
    }

    @Test
    void membersOwnBudget_capsItsChildRun() {
        ScriptedModel model = new ScriptedModel().on(Match.system("You search"), Reply.text("Found sources."));
        TeamSpec outer = TeamSpec.builder("newsroom")
                .members(Member.team("research", "researcher", RESEARCH).withBudget(Budget.DEFAULT.withMaxTurns(1)))
                .sequential("research")
                .build();

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            run = harness.run(outer, "Write a report");
        }

        assertThat(run.ofType(SubRunRequested.class).getFirst().budget().maxTurns())
                .isEqualTo(1);
        assertThat(run.protocol()).containsExactly("@team→research REQUEST", "research→@team FAILURE");
        assertThat(run.outcome()).isInstanceOf(Outcome.Failed.class);
        assertThat(((Outcome.Failed) run.outcome()).reason())
                .startsWith("stage 1 of 1 ('research') answered FAILURE: team 'research' did not complete: ");
        model.verify();
    }

    @Test
    void childPayload_isTheMembersStructuredAnswer() {
        String schema =
                "{\"type\":\"object\",\"properties\":{\"cost\":{\"type\":\"number\"}}," + "\"required\":[\"cost\"]}";
        // The inner team's mechanism finishes with a human result and a structured payload.
        Collaboration quote = view -> view.messages().isEmpty()
                ? NextAction.invoke(NextAction.Invocation.of(view.newMessage()
                        .to("estimator")
                        .performative(Performative.REQUEST)
                        .body(view.task())
                        .build()))
                : new NextAction.Finish("We can do it for 7.", "{\"cost\":7}");
        TeamSpec inner = TeamSpec.builder("quotes")
                .members(AgentSpec.of("estimator", "m", "You estimate."))
                .mechanism(new MechanismSpec.Custom("quote", Map.of(), List.of("estimator")))
                .build();
        // The outer mechanism asks the team member for a bid and finishes with its payload.
        Collaboration cfp = view -> view.messages().isEmpty()
                ? NextAction.invoke(NextAction.Invocation.structured(
                        view.newMessage()
                                .to("vendor")
                                .performative(Performative.CFP)
                                .body("Bid for the job")
                                .build(),
                        schema))
                : view.awaitingReply().isEmpty()
                        ? new NextAction.Finish(
                                view.messages().getLast().performative() + " "
                                        + view.messages().getLast().payload(),
                                null)
                        : new NextAction.Await();
        TeamSpec outer = TeamSpec.builder("buyer")
                .members(Member.team("vendor", "vendor", inner))
                .mechanism(new MechanismSpec.Custom("cfp", Map.of(), List.of("vendor")))
                .build();
        ScriptedModel model = new ScriptedModel().on(Match.system("You estimate"), Reply.text("About 7."));

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime()
                .model("m", model)
                .mechanism("quote", spec -> quote)
                .mechanism("cfp", spec -> cfp))) {
            run = harness.run(outer, "Paint the fence");
        }

        assertThat(run.result()).isEqualTo("PROPOSE {\"cost\":7}");
        model.verify();
    }
}
