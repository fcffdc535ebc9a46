package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.agent.MemoryPolicy;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.run.JournalEvent.LlmCompleted;
import io.troupe.api.run.JournalEvent.LlmRequested;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import io.troupe.testkit.TroupeHarness;
import org.junit.jupiter.api.Test;

/** The perceive, decide and act loop, the one-liner, streaming and replay. */
class AgentLoopTest {

    @Test
    void act_oneAgentActsOnAnObservationInThreeLines() {
        ScriptedModel model = new ScriptedModel().on(Match.lastUser("cancelled"), Reply.text("Rebook on the 11:40."));

        try (Troupe troupe = TroupeHarness.runtime().model("gpt", model).start()) {
            AgentSpec concierge = AgentSpec.of("concierge", "gpt", "You help travellers.");
            Outcome action = troupe.act(concierge, "The 9:15 flight to Oslo was cancelled.");

            assertThat(action).isEqualTo(new Outcome.Completed("Rebook on the 11:40.", null));
        }
        assertThat(model.requests().getFirst().messages())
                .containsExactly(
                        new ChatMessage.System("You help travellers."),
                        new ChatMessage.User("The 9:15 flight to Oslo was cancelled."));
        model.verify();
    }

    @Test
    void run_streamsTokensToSubscribersBeforeTheStepCompletes() {
        ScriptedModel model = new ScriptedModel().then(Reply.text("Once upon a time there was a fox."));
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            RunRecord run = harness.run(
                    TeamSpec.builder("t")
                            .member(AgentSpec.of("teller", "m", ""))
                            .build(),
                    "Tell");

            int step = run.ofType(LlmRequested.class).getFirst().step();
            assertThat(run.streamed(step)).isEqualTo("Once upon a time there was a fox.");
            int lastDelta = run.events()
                    .lastIndexOf(run.events().stream()
                            .filter(e -> e instanceof io.troupe.api.run.TokenDelta)
                            .reduce((a, b) -> b)
                            .orElseThrow());
            assertThat(lastDelta)
                    .isLessThan(
                            run.events().indexOf(run.ofType(LlmCompleted.class).getFirst()));
        }
    }

    @Test
    void replay_rebuildsTheTranscriptWithoutCallingAnyModel() {
        ScriptedModel model = new ScriptedModel().then(Reply.text("Hello."));
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            RunRecord run = harness.run(
                    TeamSpec.builder("t").member(AgentSpec.of("a", "m", "")).build(), "Hi");

            Transcript transcript = harness.troupe()
                    .replay(run.conversationId())
                    .toCompletableFuture()
                    .join();

            assertThat(transcript.events()).isEqualTo(run.journal());
            assertThat(transcript.outcome()).contains(run.outcome());
            assertThat(model.requests()).hasSize(1);
            assertThat(harness.troupe()
                            .replay("no-such-run")
                            .toCompletableFuture()
                            .join()
                            .exists())
                    .isFalse();
        }
        model.verify();
    }

    @Test
    void memoryWindow_carriesTheAgentsOwnEarlierExchangesOnce() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("You write"), Reply.text("Draft one."))
                .on(Match.system("You review"), Reply.text("Too short."))
                .on(Match.system("You write"), Reply.text("Draft two, longer."));
        TeamSpec team = TeamSpec.builder("loop")
                .members(
                        AgentSpec.builder("writer")
                                .model("m")
                                .instructions("You write.")
                                .memory(MemoryPolicy.window(2))
                                .build(),
                        AgentSpec.of("reviewer", "m", "You review."),
                        AgentSpec.builder("writer2")
                                .model("m")
                                .instructions("You write.")
                                .memory(MemoryPolicy.NONE)
                                .build())
                .sequential("writer", "reviewer", "writer2")
                .build();
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            harness.run(team, "Write a poem");
        }
        // The reviewer sees the task and the writer's answer, once; no history is repeated.
        assertThat(model.requests().get(1).messages())
                .containsExactly(
                        new ChatMessage.System("You review."),
                        new ChatMessage.User("Write a poem\n\nwriter answered:\nDraft one."));
        model.verify();
    }

    @Test
    void start_withAnInvalidToolSchema_namesTheToolBeforeStarting() {
        io.troupe.api.tool.Tool broken = io.troupe.api.tool.Tool.of(
                new io.troupe.api.tool.ToolDefinition("search", "Searches.", "[\"not\", \"an object\"]"),
                invocation -> io.troupe.api.tool.ToolResult.ok(""));

        assertThatThrownBy(() -> TroupeHarness.runtime().tool(broken).start())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("Cannot start Troupe: tool 'search' has an invalid JSON schema for its arguments: it must"
                        + " be a JSON object such as {\"type\":\"object\",\"properties\":{...}}");
    }

    @Test
    void run_withAnUnregisteredModel_namesItAndTheRegisteredOnes() {
        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("tiny", new ScriptedModel()))) {
            TeamSpec team =
                    TeamSpec.builder("t").member(AgentSpec.of("a", "gpt", "")).build();

            assertThatThrownBy(() -> harness.troupe().run(team, "Hi"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("Team 't' cannot run on this runtime: agent 'a' uses model 'gpt', which is not"
                            + " registered; registered models: [tiny]. Register it with"
                            + " TroupeRuntime.builder().model(\"gpt\", model)");
        }
    }
}
