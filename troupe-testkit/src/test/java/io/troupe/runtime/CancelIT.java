package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import io.troupe.api.protocol.Performative;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.JournalEvent.LlmRequested;
import io.troupe.api.run.JournalEvent.MessageSent;
import io.troupe.api.run.JournalEvent.SubRunRequested;
import io.troupe.api.run.JournalEvent.ToolRequested;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.Member;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Cancelling a run ends it with {@link Outcome.Cancelled} wherever it stands: during a model call, a tool call or a
 * child run. The CANCEL is journaled, what was in flight is stopped, and no call starts after it.
 */
class CancelIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A model whose calls never answer; it records each call's future, to see that cancelling stops it. */
    private static final class Hanging implements LanguageModel {
        final List<CompletableFuture<ModelResponse>> calls = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<ModelResponse> generate(ModelRequest request, TokenSink tokens) {
            CompletableFuture<ModelResponse> call = new CompletableFuture<>();
            calls.add(call);
            return call;
        }
    }

    @Test
    void cancelDuringAModelCall_stopsTheCall_andEndsTheRunCancelled() {
        Hanging model = new Hanging();
        TeamSpec team = TeamSpec.builder("solo")
                .members(AgentSpec.of("thinker", "m", "You think."))
                .build();

        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            RunHandle run = harness.troupe().run(team, "Think hard");
            await().atMost(WAIT).until(() -> model.calls.size() == 1);

            Outcome outcome = run.cancel("the user changed their mind")
                    .toCompletableFuture()
                    .join();

            assertThat(outcome).isEqualTo(new Outcome.Cancelled("the user changed their mind"));
            await().atMost(WAIT).until(() -> model.calls.getFirst().isCancelled());
            Transcript journal = harness.troupe()
                    .replay(run.conversationId())
                    .toCompletableFuture()
                    .join();
            assertCancelJournaledLast(journal, "thinker");
            assertThat(model.calls).hasSize(1);
        }
    }

    @Test
    void cancelDuringAToolCall_interruptsTheTool_andEndsTheRunCancelled() {
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Tool slow = Tool.of(new ToolDefinition("crawl", "Crawls the web.", ToolDefinition.NO_PARAMETERS), call -> {
            running.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return ToolResult.ok("never");
        });
        ScriptedModel model = new ScriptedModel().on(Match.system("You research"), Reply.toolCall("crawl", "{}"));
        TeamSpec team = TeamSpec.builder("solo")
                .members(AgentSpec.builder("researcher")
                        .model("m")
                        .instructions("You research.")
                        .tools("crawl")
                        .build())
                .build();

        try (TroupeHarness harness =
                TroupeHarness.start(TroupeHarness.runtime().model("m", model).tool(slow))) {
            RunHandle run = harness.troupe().run(team, "Find everything");
            await().atMost(WAIT).until(() -> running.getCount() == 0);

            Outcome outcome = run.cancel().toCompletableFuture().join();

            assertThat(outcome).isEqualTo(new Outcome.Cancelled("cancelled by the user"));
            await().atMost(WAIT).untilTrue(interrupted);
            Transcript journal = harness.troupe()
                    .replay(run.conversationId())
                    .toCompletableFuture()
                    .join();
            assertCancelJournaledLast(journal, "researcher");
            assertThat(journal.events())
                    .filteredOn(ToolRequested.class::isInstance)
                    .hasSize(1);
            assertThat(journal.events()).noneMatch(JournalEvent.ToolCompleted.class::isInstance);
        }
        model.verify();
    }

    @Test
    void cancelDuringAChildRun_cancelsTheChildToo() {
        Hanging model = new Hanging();
        TeamSpec research = TeamSpec.builder("research")
                .members(AgentSpec.of("searcher", "m", "You search."))
                .build();
        TeamSpec outer = TeamSpec.builder("newsroom")
                .members(Member.team("research", "researcher", research))
                .build();

        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            RunHandle run = harness.troupe().run(outer, "Write a report");
            await().atMost(WAIT).until(() -> model.calls.size() == 1);

            Outcome outcome =
                    run.cancel("no longer needed").toCompletableFuture().join();

            assertThat(outcome).isEqualTo(new Outcome.Cancelled("no longer needed"));
            Transcript journal = harness.troupe()
                    .replay(run.conversationId())
                    .toCompletableFuture()
                    .join();
            assertCancelJournaledLast(journal, "research");
            String child = ((SubRunRequested) journal.events().stream()
                            .filter(SubRunRequested.class::isInstance)
                            .findFirst()
                            .orElseThrow())
                    .childConversationId();
            Transcript childJournal = await().atMost(WAIT)
                    .until(
                            () -> harness.troupe()
                                    .replay(child)
                                    .toCompletableFuture()
                                    .join(),
                            t -> t.outcome().isPresent());
            assertThat(childJournal.outcome())
                    .contains(new Outcome.Cancelled("cancelled: the parent run " + run.conversationId()
                            + " ended (cancelled: no longer needed)"));
            await().atMost(WAIT).until(() -> model.calls.getFirst().isCancelled());
            assertThat(model.calls).hasSize(1);
        }
    }

    @Test
    void cancelAfterTheRunEnded_changesNothing() {
        ScriptedModel model = new ScriptedModel().on(Match.any(), Reply.text("Done."));
        TeamSpec team = TeamSpec.builder("solo")
                .members(AgentSpec.of("worker", "m", "You work."))
                .build();

        try (TroupeHarness harness = TroupeHarness.start(TroupeHarness.runtime().model("m", model))) {
            RunRecord run = harness.run(team, "Work");
            RunHandle handle = harness.troupe().attach(run.conversationId());

            assertThat(handle.cancel().toCompletableFuture().join()).isEqualTo(new Outcome.Completed("Done.", null));
            assertThat(harness.troupe()
                            .replay(run.conversationId())
                            .toCompletableFuture()
                            .join()
                            .events())
                    .hasSameSizeAs(run.journal());
        }
    }

    /** The journal ends with the CANCEL to {@code agent} and the cancelled outcome, with no call requested after. */
    private static void assertCancelJournaledLast(Transcript journal, String agent) {
        List<JournalEvent> events = journal.events();
        int cancel = -1;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof MessageSent sent && sent.message().performative() == Performative.CANCEL) {
                cancel = i;
            }
        }
        assertThat(cancel).as("a CANCEL is journaled").isNotNegative();
        MessageSent sent = (MessageSent) events.get(cancel);
        assertThat(sent.message().receivers())
                .hasToString(io.troupe.api.protocol.Receivers.agents(agent).toString());
        List<JournalEvent> after = events.subList(cancel + 1, events.size());
        assertThat(after).hasSize(1).first().isInstanceOf(JournalEvent.RunFinished.class);
        assertThat(after).noneMatch(e -> e instanceof LlmRequested || e instanceof ToolRequested);
    }
}
