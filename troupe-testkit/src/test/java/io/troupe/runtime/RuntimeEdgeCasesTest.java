package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.ModelException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.model.ToolCall;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.SubRunCompleted;
import io.troupe.api.run.JournalEvent.SubRunRequested;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.Member;
import io.troupe.api.team.NextAction;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.api.tool.ToolResult;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Edge cases of the runtime core: handoffs mixed with other calls, nested teams, and journal serialization. */
class RuntimeEdgeCasesTest {

    private static final String HANDOFF = "{\"to\":\"expert\",\"note\":\"Needs an expert.\"}";

    /** Invokes the triage agent (who may hand off to the expert and delegate to the worker), then finishes. */
    private static Collaboration triageOnce() {
        return conversation -> {
            if (conversation.messages().isEmpty()) {
                return NextAction.invoke(new NextAction.Invocation(
                        conversation
                                .newMessage()
                                .to("triage")
                                .performative(Performative.REQUEST)
                                .body(conversation.task())
                                .build(),
                        null,
                        List.of("worker"),
                        List.of("expert")));
            }
            if (!conversation.awaitingReply().isEmpty()) {
                return new NextAction.Await();
            }
            Message answer = conversation
                    .repliesTo(conversation.messages().getFirst().id())
                    .getFirst();
            return new NextAction.Finish(answer.performative() + " " + answer.payload(), null);
        };
    }

    private static Tool lookup(AtomicInteger calls) {
        return Tool.of(new ToolDefinition("lookup", "Looks things up.", ToolDefinition.NO_PARAMETERS), call -> {
            calls.incrementAndGet();
            return ToolResult.ok("found");
        });
    }

    private static TeamSpec triageTeam() {
        return TeamSpec.builder("desk")
                .members(
                        AgentSpec.builder("triage")
                                .model("m")
                                .instructions("You triage requests.")
                                .tools("lookup")
                                .build(),
                        AgentSpec.of("worker", "m", "You do small jobs."),
                        AgentSpec.of("expert", "m", "You are the expert."))
                .mechanism(new MechanismSpec.Custom("triage-once", Map.of(), List.of("triage")))
                .build();
    }

    @Test
    void handoff_listedAfterAnotherTool_endsTheTurnWithoutRunningThatTool() {
        AtomicInteger lookups = new AtomicInteger();
        ScriptedModel model = new ScriptedModel()
                .on(
                        Match.system("You triage").and(Match.offersTool("handoff")),
                        Reply.toolCalls(new ToolCall("c1", "lookup", "{}"), new ToolCall("c2", "handoff", HANDOFF)));

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime()
                .model("m", model)
                .tool(lookup(lookups))
                .mechanism("triage-once", spec -> triageOnce()))) {
            run = harness.run(triageTeam(), "Help me");
        }

        assertThat(run.protocol()).containsExactly("@team→triage REQUEST", "triage→@team INFORM");
        assertThat(run.result()).isEqualTo("INFORM {\"handoff\":{\"to\":\"expert\",\"note\":\"Needs an expert.\"}}");
        // "A handoff ends the turn at once; any other calls of the round are dropped with it": none may run.
        assertThat(run.ofType(JournalEvent.ToolRequested.class)).isEmpty();
        assertThat(lookups).hasValue(0);
        model.verify();
    }

    @Test
    void handoff_listedAfterADelegation_startsNoOrphanWorkerTurn() {
        ScriptedModel model = new ScriptedModel()
                .on(
                        Match.system("You triage").and(Match.offersTool("handoff")),
                        Reply.toolCalls(
                                new ToolCall("c1", "delegate", "{\"worker\":\"worker\",\"task\":\"Check the logs.\"}"),
                                new ToolCall("c2", "handoff", HANDOFF)));

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime()
                .model("m", model)
                .tool(lookup(new AtomicInteger()))
                .mechanism("triage-once", spec -> triageOnce()))) {
            run = harness.run(triageTeam(), "Help me");
        }

        assertThat(run.protocol()).containsExactly("@team→triage REQUEST", "triage→@team INFORM");
        assertThat(run.ofType(JournalEvent.TurnStarted.class))
                .extracting(JournalEvent.TurnStarted::agentId)
                .containsExactly("triage");
        assertThat(run.outcome()).isInstanceOf(Outcome.Completed.class);
        model.verify();
    }

    @Test
    void teamsNestedTwoLevelsDeep_runAsChildAndGrandchild_andChargeTheOuterRun() {
        ScriptedModel model = new ScriptedModel().on(Match.system("You are the leaf"), Reply.text("Leaf answer."));
        TeamSpec inner = TeamSpec.builder("inner")
                .members(AgentSpec.of("leaf", "m", "You are the leaf."))
                .build();
        TeamSpec middle = TeamSpec.builder("middle")
                .members(Member.team("innerTeam", "team", inner))
                .build();
        TeamSpec outer = TeamSpec.builder("outer")
                .members(Member.team("middleTeam", "team", middle))
                .budget(Budget.DEFAULT.withMaxTurns(7))
                .build();

        RunRecord run;
        RunRecordChild child;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            run = harness.run(outer, "Answer");
            SubRunRequested requested = run.ofType(SubRunRequested.class).getFirst();
            var middleRun = harness.troupe()
                    .replay(requested.childConversationId())
                    .toCompletableFuture()
                    .join();
            SubRunRequested grandchild = middleRun.events().stream()
                    .filter(SubRunRequested.class::isInstance)
                    .map(SubRunRequested.class::cast)
                    .findFirst()
                    .orElseThrow();
            child = new RunRecordChild(requested, grandchild, middleRun.usage());
        }

        assertThat(run.result()).isEqualTo("Leaf answer.");
        assertThat(child.grandchild().childConversationId())
                .isEqualTo(child.child().childConversationId() + "."
                        + child.grandchild().step());
        assertThat(child.child().budget().maxTurns()).isEqualTo(7);
        assertThat(child.grandchild().budget().maxTurns()).isEqualTo(7);
        SubRunCompleted completed = run.ofType(SubRunCompleted.class).getFirst();
        assertThat(completed.turns()).isEqualTo(1);
        assertThat(completed.usage()).isEqualTo(child.middleUsage());
        assertThat(run.transcript().usage()).isEqualTo(child.middleUsage());
        assertThat(run.ofType(JournalEvent.RunFinished.class).getFirst().turns())
                .isEqualTo(1);
        model.verify();
    }

    private record RunRecordChild(SubRunRequested child, SubRunRequested grandchild, Usage middleUsage) {}

    @Test
    void aChildRunThatNeverAnswers_endsWithTheOuterWallClock() {
        ScriptedModel model = new ScriptedModel().on(Match.system("You never answer"), Reply.hang());
        TeamSpec inner = TeamSpec.builder("inner")
                .members(AgentSpec.of("sloth", "m", "You never answer."))
                .build();
        TeamSpec outer = TeamSpec.builder("outer")
                .members(Member.team("slow", "team", inner))
                .budget(Budget.DEFAULT.withMaxWallTime(Duration.ofMillis(1500)))
                .build();

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            run = harness.run(outer, "Answer");
        }

        assertThat(run.outcome()).isInstanceOf(Outcome.BudgetExceeded.class);
        assertThat(((Outcome.BudgetExceeded) run.outcome()).resource()).isEqualTo(Budget.Resource.WALL_TIME);
        assertThat(run.ofType(SubRunRequested.class).getFirst().budget().maxWallTime())
                .isLessThanOrEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void aWallClockBudgetBeyondTheSchedulersReach_stillRuns() {
        // Pekko's scheduler refuses delays over about 248 days; the wall clock is reached in daily steps instead.
        ScriptedModel model = new ScriptedModel().on(Match.system("You answer"), Reply.text("Done."));
        TeamSpec team = TeamSpec.builder("patient")
                .members(AgentSpec.of("solo", "m", "You answer."))
                .budget(Budget.DEFAULT.withMaxWallTime(Duration.ofDays(400)))
                .build();

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            run = harness.run(team, "Answer");
        }

        assertThat(run.result()).isEqualTo("Done.");
        model.verify();
    }

    @Test
    void aChildRunStillWorkingWhenItsParentEnds_isCancelled() throws Exception {
        ScriptedModel model = ScriptedModel.unordered()
                .on(Match.system("You answer fast"), Reply.text("Fast answer."))
                .on(Match.system("You never answer"), Reply.hang());
        TeamSpec inner = TeamSpec.builder("inner")
                .members(AgentSpec.of("sloth", "m", "You never answer."))
                .build();
        TeamSpec outer = TeamSpec.builder("outer")
                .members(Member.of(AgentSpec.of("hare", "m", "You answer fast.")), Member.team("slow", "team", inner))
                .mechanism(new MechanismSpec.Custom("first-answer", Map.of(), List.of("hare", "slow")))
                .build();
        // Ask both at once and finish with the first answer: the slow team is still working then.
        Collaboration firstAnswer = view -> view.messages().isEmpty()
                ? NextAction.invoke(NextAction.Invocation.of(view.newMessage()
                        .to("hare", "slow")
                        .performative(Performative.REQUEST)
                        .body(view.task())
                        .build()))
                : new NextAction.Finish(view.messages().getLast().body(), null);

        RunRecord run;
        io.troupe.api.run.Transcript child;
        try (TroupeHarness harness = TroupeHarness.start(
                TroupeHarness.runtime().model("m", model).mechanism("first-answer", spec -> firstAnswer))) {
            run = harness.run(outer, "Answer");
            String childId = run.ofType(SubRunRequested.class).getFirst().childConversationId();
            // Uncancelled, the child would run for 10 minutes: its outcome appears in the journal at once instead.
            child = org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(
                            () -> harness.troupe()
                                    .replay(childId)
                                    .toCompletableFuture()
                                    .join(),
                            transcript -> transcript.outcome().isPresent());
        }

        assertThat(run.result()).isEqualTo("Fast answer.");
        assertThat(child.outcome())
                .contains(new Outcome.Cancelled(
                        "cancelled: the parent run " + run.conversationId() + " ended (completed: Fast answer.)"));
    }

    @Test
    void aCfpToATeamWhoseChildRunFails_isRefused_whileAnAgentProposes() {
        String bid = "{\"type\":\"object\",\"properties\":{\"price\":{\"type\":\"number\"},"
                + "\"refuse\":{\"type\":\"boolean\"}},\"additionalProperties\":false}";
        ScriptedModel model = ScriptedModel.unordered()
                .on(Match.system("You break"), Reply.fail(new ModelException.NonRetriable("provider down")))
                .on(Match.system("You bid"), Reply.text("{\"price\":5}"));
        TeamSpec inner = TeamSpec.builder("inner")
                .members(AgentSpec.of("broken", "m", "You break."))
                .build();
        TeamSpec outer = TeamSpec.builder("outer")
                .members(Member.team("crew", "seller", inner), Member.of(seller("solo", "You bid.")))
                .mechanism(new MechanismSpec.Custom("cfp-once", Map.of(), List.of()))
                .build();
        Collaboration cfpOnce = conversation -> {
            if (conversation.messages().isEmpty()) {
                return NextAction.invoke(NextAction.Invocation.structured(
                        conversation
                                .newMessage()
                                .to(Receivers.role("seller"))
                                .performative(Performative.CFP)
                                .body("Bid")
                                .build(),
                        bid));
            }
            if (!conversation.awaitingReply().isEmpty()) {
                return new NextAction.Await();
            }
            return new NextAction.Finish(
                    conversation
                                    .repliesTo(
                                            conversation.messages().getFirst().id())
                                    .size() + " replies",
                    null);
        };

        RunRecord run;
        try (TroupeHarness harness =
                TroupeHarness.start(TroupeHarness.runtime().model("m", model).mechanism("cfp-once", spec -> cfpOnce))) {
            run = harness.run(outer, "Buy");
        }

        assertThat(run.result()).isEqualTo("2 replies");
        assertThat(run.protocol().subList(1, 3)).containsExactlyInAnyOrder("crew→@team REFUSE", "solo→@team PROPOSE");
        assertThat(run.ofType(SubRunCompleted.class).getFirst().outcome()).isInstanceOf(Outcome.Failed.class);
        model.verify();
    }

    private static AgentSpec seller(String id, String instructions) {
        return AgentSpec.builder(id)
                .role("seller")
                .model("m")
                .instructions(instructions)
                .build();
    }
}
