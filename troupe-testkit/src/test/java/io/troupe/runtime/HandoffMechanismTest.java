package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.run.JournalEvent.ToolCallRejected;
import io.troupe.api.run.Outcome;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.api.tool.ToolResult;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Handoff: an agent transfers the conversation through the {@code handoff} tool, with a filtered context. */
class HandoffMechanismTest {

    private static final AgentSpec TRIAGE = AgentSpec.of("triage", "m", "You triage customer requests.");
    private static final AgentSpec BILLING = AgentSpec.of("billing", "m", "You handle billing.");
    private static final AgentSpec TECH = AgentSpec.of("tech", "m", "You handle technical problems.");

    @Test
    void triage_handsOffToBilling_whoAnswersWithTheNoteAndNoToolChatter() {
        ScriptedModel model = new ScriptedModel()
                .on(
                        Match.system("You triage").and(Match.offersTool("handoff")),
                        Reply.toolCall("lookup", "{\"customer\":\"42\"}"))
                .on(
                        Match.afterTool("lookup"),
                        Reply.toolCall("handoff", "{\"to\":\"billing\",\"note\":\"Customer 42 was charged twice.\"}"))
                .on(Match.system("You handle billing"), Reply.text("Refunded the duplicate charge of $12."));
        RunRecord run = run(model, team(1, 5), "I was charged twice");

        assertThat(run.result()).isEqualTo("Refunded the duplicate charge of $12.");
        assertThat(run.protocol())
                .containsExactly(
                        "@team→triage REQUEST", "triage→@team INFORM", "@team→billing REQUEST", "billing→@team INFORM");
        assertThat(run.messages().get(1).payload())
                .isEqualTo("{\"handoff\":{\"to\":\"billing\",\"note\":\"Customer 42 was charged twice.\"}}");

        DecisionRecord handoff = run.decisions().getFirst();
        assertThat(run.decisions()).hasSize(1);
        assertThat(handoff.kind()).isEqualTo("handoff");
        assertThat(handoff.chosen()).isEqualTo("billing");
        assertThat(handoff.subject()).isEqualTo(run.messages().get(1).id());
        assertThat(handoff.options()).extracting(DecisionRecord.Option::agent).containsExactly("billing", "tech");
        assertThat(handoff.reason())
                .isEqualTo("triage handed the conversation to billing: Customer 42 was charged twice.");

        // Billing sees the task and the note; not triage's lookup call, nor the handoff answer twice.
        ModelRequest billing = model.requests().getLast();
        String prompt = billing.messages().stream()
                .filter(ChatMessage.User.class::isInstance)
                .map(m -> ((ChatMessage.User) m).text())
                .reduce("", String::concat);
        assertThat(prompt)
                .isEqualTo("I was charged twice\n\ntriage handed this conversation to you with this note: Customer 42"
                        + " was charged twice.");
        // Billing may hand back to triage only; it has no tools of its own.
        assertThat(billing.tools()).extracting(ToolDefinition::name).containsExactly("handoff");
        assertThat(billing.tools().getFirst().parametersSchema()).contains("\"enum\":[\"triage\"]");
        model.verify();
    }

    @Test
    void handoffToAnAgentOutsideTheRoutes_isRefusedAndRepaired() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("You triage"), Reply.toolCall("handoff", "{\"to\":\"sales\",\"note\":\"Upsell\"}"))
                .on(
                        Match.system("You triage"),
                        Reply.toolCall("handoff", "{\"to\":\"tech\",\"note\":\"The router is down.\"}"))
                .on(Match.system("You handle technical"), Reply.text("Restart the router."));
        RunRecord run = run(model, team(0, 5), "My internet is down");

        assertThat(run.result()).isEqualTo("Restart the router.");
        ToolCallRejected rejected = run.ofType(ToolCallRejected.class).getFirst();
        assertThat(rejected.reason()).contains("$.to: does not have a value in the enumeration");
        assertThat(run.decisions()).extracting(DecisionRecord::chosen).containsExactly("tech");
        // With history = 0 the receiver sees only the task and the note.
        String prompt =
                ((ChatMessage.User) model.requests().getLast().messages().getLast()).text();
        assertThat(prompt)
                .isEqualTo("My internet is down\n\ntriage handed this conversation to you with this note: The router is"
                        + " down.");
        // Tech has no routes, so it is not offered the handoff tool.
        assertThat(model.requests().getLast().tools()).isEmpty();
        model.verify();
    }

    @Test
    void agentsPassingTheConversationAround_failAfterMaxHandoffs() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("You triage"), Reply.toolCall("handoff", "{\"to\":\"billing\",\"note\":\"yours\"}"))
                .on(
                        Match.system("You handle billing"),
                        Reply.toolCall("handoff", "{\"to\":\"triage\",\"note\":\"no, yours\"}"))
                .on(Match.system("You triage"), Reply.toolCall("handoff", "{\"to\":\"billing\",\"note\":\"again\"}"));
        RunRecord run = run(model, team(1, 2), "Help");

        assertThat(run.outcome()).isInstanceOf(Outcome.Failed.class);
        assertThat(((Outcome.Failed) run.outcome()).reason())
                .startsWith("the conversation was handed off 2 times (maxHandoffs = 2)");
        assertThat(run.decisions()).extracting(DecisionRecord::chosen).containsExactly("billing", "triage");
        assertThat(run.protocol())
                .containsExactly(
                        "@team→triage REQUEST",
                        "triage→@team INFORM",
                        "@team→billing REQUEST",
                        "billing→@team INFORM",
                        "@team→triage REQUEST",
                        "triage→@team INFORM");
        // history = 1: triage's second turn shows the last answer before billing's handoff, and billing's note.
        assertThat(((ChatMessage.User) model.requests().get(2).messages().getLast()).text())
                .isEqualTo("Help\n\nEarlier in this conversation:\n[triage] Handing off to billing: yours\n\nbilling"
                        + " handed this conversation to you with this note: no, yours");
        model.verify();
    }

    private static TeamSpec team(int history, int maxHandoffs) {
        return TeamSpec.builder("desk")
                .members(TRIAGE.toBuilder().tools("lookup").build(), BILLING, TECH)
                .mechanism(new MechanismSpec.Handoff(
                        "triage",
                        Map.of("triage", List.of("billing", "tech"), "billing", List.of("triage")),
                        history,
                        maxHandoffs))
                .build();
    }

    private static final Tool LOOKUP = Tool.of(
            new ToolDefinition(
                    "lookup",
                    "Look up a customer",
                    "{\"type\":\"object\",\"properties\":{\"customer\":{\"type\":\"string\"}},"
                            + "\"required\":[\"customer\"]}"),
            invocation -> ToolResult.ok("{\"customer\":\"42\",\"charges\":[12,12]}"));

    private static RunRecord run(ScriptedModel model, TeamSpec team, String task) {
        try (TroupeHarness harness =
                TroupeHarness.start(TroupeHarness.runtime().model("m", model).tool(LOOKUP))) {
            return harness.run(team, task);
        }
    }
}
