package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ToolCall;
import io.troupe.api.run.JournalEvent.LlmCompleted;
import io.troupe.api.run.JournalEvent.LlmRequested;
import io.troupe.api.run.JournalEvent.ToolRequested;
import io.troupe.api.team.TeamSpec;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A manager delegates through the {@code delegate} tool, to several workers in parallel. */
class ManagerWorkersMechanismTest {

    @Test
    void manager_delegatesToTwoWorkersInParallelAndCombinesTheirAnswers() {
        ScriptedModel model = ScriptedModel.unordered()
                .on(
                        Match.system("You plan trips").and(Match.offersTool("delegate")),
                        Reply.toolCalls(
                                new ToolCall("c1", "delegate", "{\"worker\":\"flights\",\"task\":\"Fly to Oslo\"}"),
                                new ToolCall("c2", "delegate", "{\"worker\":\"hotels\",\"task\":\"Room in Oslo\"}")))
                // Each worker answers after 300 ms: in parallel, both are in flight at once.
                .on(
                        Match.system("You book flights"),
                        ((Reply.Respond) Reply.text("Flight SK123 booked.")).after(Duration.ofMillis(300)))
                .on(
                        Match.system("You book hotels"),
                        ((Reply.Respond) Reply.text("Hotel Bristol booked.")).after(Duration.ofMillis(300)))
                .on(Match.afterTool("delegate"), Reply.text("Trip booked: SK123 and Hotel Bristol."));
        TeamSpec team = TeamSpec.builder("travel")
                .members(
                        AgentSpec.of("planner", "m", "You plan trips."),
                        AgentSpec.of("flights", "m", "You book flights."),
                        AgentSpec.of("hotels", "m", "You book hotels."))
                .managerWorkers("planner", "flights", "hotels")
                .build();

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            run = harness.run(team, "Book a trip to Oslo");
        }

        assertThat(run.result()).isEqualTo("Trip booked: SK123 and Hotel Bristol.");
        assertThat(run.protocol().subList(0, 3))
                .containsExactly("@team→planner REQUEST", "planner→flights REQUEST", "planner→hotels REQUEST");
        assertThat(run.protocol().subList(3, 5))
                .containsExactlyInAnyOrder("flights→planner INFORM", "hotels→planner INFORM");
        assertThat(run.protocol().get(5)).isEqualTo("planner→@team INFORM");

        // Both workers' calls were requested before either completed: they ran in parallel.
        int lastWorkerRequest =
                run.lastIndexOf(e -> e instanceof LlmRequested r && !r.agentId().equals("planner"));
        int firstWorkerCompletion = run.firstIndexOf(
                e -> e instanceof LlmCompleted c && !c.agentId().equals("planner"));
        assertThat(lastWorkerRequest).isLessThan(firstWorkerCompletion);

        // The delegation request's id is the tool step's idempotency key, and the answers come back in call order.
        ToolRequested first = run.ofType(ToolRequested.class).getFirst();
        assertThat(run.messages().get(1).id()).isEqualTo(first.idempotencyKey());
        ModelRequest last = model.requests().getLast();
        List<ChatMessage> tail = last.messages()
                .subList(last.messages().size() - 2, last.messages().size());
        assertThat(tail)
                .containsExactly(
                        new ChatMessage.ToolOutput("c1", "delegate", "Flight SK123 booked.", false),
                        new ChatMessage.ToolOutput("c2", "delegate", "Hotel Bristol booked.", false));
        model.verify();
    }

    @Test
    void workerFailure_reachesTheManagerAsAToolError() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("You plan"), Reply.toolCall("delegate", "{\"worker\":\"flights\",\"task\":\"Fly\"}"))
                .on(Match.system("You book flights"), Reply.fail(new io.troupe.api.ModelException.NonRetriable("401")))
                .on(Match.afterTool("delegate"), Reply.text("Flights are unavailable."));
        TeamSpec team = TeamSpec.builder("travel")
                .members(
                        AgentSpec.of("planner", "m", "You plan trips."),
                        AgentSpec.of("flights", "m", "You book flights."))
                .managerWorkers("planner", "flights")
                .build();

        RunRecord run;
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            run = harness.run(team, "Book a flight");
        }

        assertThat(run.result()).isEqualTo("Flights are unavailable.");
        assertThat(run.protocol())
                .containsExactly(
                        "@team→planner REQUEST",
                        "planner→flights REQUEST",
                        "flights→planner FAILURE",
                        "planner→@team INFORM");
        ChatMessage.ToolOutput output =
                (ChatMessage.ToolOutput) model.requests().getLast().messages().getLast();
        assertThat(output.error()).isTrue();
        assertThat(output.text()).isEqualTo("worker 'flights' failed: the model call failed: 401");
        model.verify();
    }
}
