package io.troupe.interop.a2a;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunHandle;
import io.troupe.api.team.TeamSpec;
import io.troupe.guard.Guard;
import io.troupe.guard.Guardrails;
import io.troupe.guard.PiiPolicy;
import io.troupe.runtime.TroupeRuntime;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.TroupeHarness;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A remote agent that is not Troupe and does not know the performatives extension is still a team member: its turn
 * is a plain message (REQUEST → answer), a task it leaves working is polled until it ends, a refusal fails the turn
 * with the agent's reason, and cancelling the run cancels its task.
 */
class PlainRemoteMemberIT {
    private static JsonNode json(String text) {
        try {
            return PlainAgent.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static TeamSpec team() {
        return TeamSpec.single(AgentSpec.builder("outsider").model("remote").build(), Budget.DEFAULT);
    }

    private static TroupeHarness harness(PlainAgent agent) {
        return TroupeHarness.start(TroupeHarness.runtime()
                .model(
                        "remote",
                        new A2aModel("remote", new A2aClient(URI.create(agent.url()), null, Duration.ofSeconds(5)))));
    }

    @Test
    void aDirectMessageReply_isTheMembersAnswer_andTheRequestIsPlain() throws Exception {
        try (PlainAgent agent = new PlainAgent(request -> json("""
                        {"result": {"message": {"messageId": "r1", "contextId": "ctx-1", "role": "ROLE_AGENT",
                         "parts": [{"text": "Plain answer."}]}}}"""));
                TroupeHarness harness = harness(agent)) {
            RunRecord run = harness.run(team(), "Summarise the harbour report.");
            assertThat(run.outcome()).isEqualTo(new Outcome.Completed("Plain answer.", null));
            JsonNode sent = agent.requests().getFirst();
            assertThat(sent.path("method").asText()).isEqualTo("SendMessage");
            JsonNode message = sent.path("params").path("message");
            assertThat(message.path("parts").get(0).path("text").asText()).isEqualTo("Summarise the harbour report.");
            assertThat(message.has("metadata"))
                    .as("no extension metadata for a plain agent")
                    .isFalse();
            assertThat(message.path("role").asText()).isEqualTo("ROLE_USER");
            assertThat(run.ofType(JournalEvent.LlmCompleted.class))
                    .singleElement()
                    .satisfies(done -> assertThat(done.response().text()).isEqualTo("Plain answer."));
        }
    }

    @Test
    void aTaskLeftWorking_isPolledUntilCompleted() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        try (PlainAgent agent =
                        new PlainAgent(request -> switch (request.path("method").asText()) {
                            case "SendMessage" -> json("""
                            {"result": {"task": {"id": "t1", "contextId": "c1",
                             "status": {"state": "TASK_STATE_WORKING"}}}}""");
                            default -> polls.incrementAndGet() < 3 ? json("""
                                    {"result": {"id": "t1", "contextId": "c1", "status": {"state": "TASK_STATE_WORKING"}}}""") : json("""
                                    {"result": {"id": "t1", "contextId": "c1", "status": {"state": "TASK_STATE_COMPLETED"},
                                     "artifacts": [{"artifactId": "a1", "parts": [{"text": "Done at last."}]}]}}""");
                        });
                TroupeHarness harness = harness(agent)) {
            RunRecord run = harness.run(team(), "Take your time.");
            assertThat(run.outcome()).isEqualTo(new Outcome.Completed("Done at last.", null));
            assertThat(agent.requests())
                    .extracting(r -> r.path("method").asText())
                    .containsExactly("SendMessage", "GetTask", "GetTask", "GetTask");
        }
    }

    @Test
    void aRejectedTask_failsTheTurnWithTheAgentsReason() throws Exception {
        try (PlainAgent agent = new PlainAgent(request -> json("""
                        {"result": {"task": {"id": "t2", "contextId": "c2", "status": {"state": "TASK_STATE_REJECTED",
                         "message": {"messageId": "m", "role": "ROLE_AGENT", "parts": [{"text": "Not my field."}]}}}}}"""));
                TroupeHarness harness = harness(agent)) {
            RunRecord run = harness.run(team(), "Fix my car.");
            assertThat(run.outcome()).isInstanceOf(Outcome.Failed.class);
            assertThat(run.messages())
                    .filteredOn(m -> m.sender().equals("outsider"))
                    .singleElement()
                    .satisfies(m -> {
                        assertThat(m.performative()).isEqualTo(Performative.FAILURE);
                        assertThat(m.body()).contains("A2A agent 'remote' refused: Not my field. (task t2)");
                    });
        }
    }

    @Test
    void cancellingTheRun_cancelsTheRemoteTask() throws Exception {
        try (PlainAgent agent =
                        new PlainAgent(request -> switch (request.path("method").asText()) {
                            case "CancelTask" -> json("""
                            {"result": {"id": "t3", "contextId": "c3", "status": {"state": "TASK_STATE_CANCELED"}}}""");
                            case "SendMessage" -> json("""
                            {"result": {"task": {"id": "t3", "contextId": "c3", "status": {"state": "TASK_STATE_WORKING"}}}}""");
                            default -> json("""
                            {"result": {"id": "t3", "contextId": "c3", "status": {"state": "TASK_STATE_WORKING"}}}""");
                        });
                TroupeHarness harness = harness(agent)) {
            RunHandle run = harness.troupe().submit(team(), "Work forever.", java.util.Map.of());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> agent.requests().stream()
                            .anyMatch(r -> r.path("method").asText().equals("GetTask")));
            Outcome outcome = run.cancel("enough").toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(Outcome.Cancelled.class);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> agent.requests().stream()
                            .anyMatch(r -> r.path("method").asText().equals("CancelTask")
                                    && r.path("params").path("id").asText().equals("t3")));
        }
    }

    @Test
    void theAgentsErrors_failTheTurnSayingWhich() throws Exception {
        try (PlainAgent agent = new PlainAgent(request -> json("""
                        {"error": {"code": -32005, "message": "Content type not supported"}}"""));
                TroupeHarness harness = harness(agent)) {
            RunRecord run = harness.run(team(), "Hello");
            assertThat(run.messages())
                    .filteredOn(m -> m.sender().equals("outsider"))
                    .extracting(Message::body)
                    .singleElement()
                    .satisfies(body -> assertThat(body).contains("answered error -32005: Content type not supported"));
        }
    }

    @Test
    void aRemoteMember_isGuardedLikeAnyAgent_whatItIsSentAndWhatItAnswersAreRedacted() throws Exception {
        try (PlainAgent agent = new PlainAgent(request -> json("""
                        {"result": {"message": {"messageId": "r9", "contextId": "ctx-9", "role": "ROLE_AGENT",
                         "parts": [{"text": "Write to ann.lee@example.com for the figures."}]}}}"""));
                Guard guard = Guard.builder()
                        .guardrails(Guardrails.NONE.withPii(PiiPolicy.redact()))
                        .build()) {
            TroupeRuntime.Builder runtime = TroupeHarness.runtime()
                    .model(
                            "remote",
                            new A2aModel(
                                    "remote", new A2aClient(URI.create(agent.url()), null, Duration.ofSeconds(5))));
            guard.install(runtime, java.util.List.of());
            try (TroupeHarness harness = TroupeHarness.start(runtime)) {
                guard.bind(harness.troupe());
                RunRecord run = harness.run(team(), "Ask bob.stone@example.com about the harbour report.");

                assertThat(run.outcome()).isInstanceOf(Outcome.Completed.class);
                String sent = agent.requests()
                        .getFirst()
                        .path("params")
                        .path("message")
                        .path("parts")
                        .get(0)
                        .path("text")
                        .asText();
                assertThat(sent)
                        .as("the task crosses the wire redacted")
                        .doesNotContain("bob.stone@example.com")
                        .contains("<EMAIL_1>");
                assertThat(run.messages())
                        .filteredOn(m -> m.sender().equals("outsider"))
                        .extracting(Message::body)
                        .singleElement()
                        .satisfies(body -> assertThat(body)
                                .as("the remote answer is journaled redacted")
                                .doesNotContain("ann.lee@example.com")
                                .contains("Write to <EMAIL_"));
            }
        }
    }
}
