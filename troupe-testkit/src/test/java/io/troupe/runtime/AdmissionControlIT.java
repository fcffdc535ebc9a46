package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.OverloadedException;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.testkit.TroupeHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * A runtime bounds the runs it holds in flight: past the bound new runs wait their turn, past the queue they are
 * refused with an {@link OverloadedException} that says what to do, and no admitted run is lost.
 */
class AdmissionControlIT {
    private static final TeamSpec TEAM = TeamSpec.single(AgentSpec.of("clerk", "m", "You answer."), Budget.DEFAULT);

    /** A model whose answers wait until the test releases them, in order of the calls. */
    private static final class GatedModel implements LanguageModel {
        final ConcurrentLinkedQueue<CompletableFuture<ModelResponse>> calls = new ConcurrentLinkedQueue<>();

        @Override
        public CompletableFuture<ModelResponse> generate(
                io.troupe.api.model.ModelRequest request, io.troupe.api.model.TokenSink tokens) {
            CompletableFuture<ModelResponse> answer = new CompletableFuture<>();
            calls.add(answer);
            return answer;
        }

        void releaseAll() {
            for (CompletableFuture<ModelResponse> call; (call = calls.poll()) != null; ) {
                call.complete(ModelResponse.text("Done.", Usage.of(3, 1)));
            }
        }
    }

    @Test
    void pastTheBound_newRunsWait_thenAreRefusedWithTheDocumentedError_andNoneIsLost() {
        GatedModel model = new GatedModel();
        try (Troupe troupe = TroupeHarness.runtime()
                .model("m", model)
                .maxRunsInFlight(2)
                .maxQueuedRuns(2)
                .start()) {
            List<RunHandle> admitted = new ArrayList<>();
            admitted.add(troupe.run(TEAM, "first"));
            admitted.add(troupe.run(TEAM, "second"));
            await().atMost(Duration.ofSeconds(30)).until(() -> model.calls.size() == 2);

            // Two more wait: their handles come back, but nothing of them is journaled or called yet.
            RunHandle third = troupe.submit(TEAM, "third", Map.of());
            RunHandle fourth = troupe.submit(TEAM, "fourth", Map.of());
            assertThat(third.started().toCompletableFuture()).isNotDone();
            assertThat(fourth.started().toCompletableFuture()).isNotDone();

            // The fifth finds both the runs and the queue full: refused at once, with what to do about it.
            assertThatThrownBy(() -> troupe.run(TEAM, "fifth"))
                    .isInstanceOf(OverloadedException.class)
                    .hasMessageContaining("maximum of 2 runs at once and 2 more wait to start")
                    .hasMessageContaining("TroupeRuntime.builder().maxRunsInFlight(n)")
                    .satisfies(e -> assertThat(((OverloadedException) e).maxRunsInFlight())
                            .isEqualTo(2));
            assertThat(troupe.runs()).hasSize(2);

            // As the first two end, the waiting ones start, in order, and every admitted run completes.
            model.releaseAll();
            await().atMost(Duration.ofSeconds(30)).until(() -> model.calls.size() == 2);
            assertThat(third.started().toCompletableFuture()).isCompleted();
            assertThat(fourth.started().toCompletableFuture()).isCompleted();
            model.releaseAll();
            admitted.add(third);
            admitted.add(fourth);
            for (RunHandle run : admitted) {
                assertThat(run.outcome().toCompletableFuture().join()).isInstanceOf(Outcome.Completed.class);
            }
            assertThat(troupe.runs()).hasSize(4);
        }
    }

    @Test
    void aRunThatWaitsTooLong_isRefused_andTheRunsInFlightGoOn() {
        GatedModel model = new GatedModel();
        try (Troupe troupe = TroupeHarness.runtime()
                .model("m", model)
                .maxRunsInFlight(1)
                .maxQueuedRuns(5)
                .maxQueueWait(Duration.ofMillis(300))
                .start()) {
            RunHandle first = troupe.run(TEAM, "first");
            RunHandle waiting = troupe.submit(TEAM, "second", Map.of());

            assertThatThrownBy(() -> waiting.started().toCompletableFuture().join())
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOf(OverloadedException.class)
                    .hasMessageContaining("it waited 300 ms without a run ending");
            await().atMost(Duration.ofSeconds(30)).until(() -> model.calls.size() == 1);
            model.releaseAll();
            assertThat(first.outcome().toCompletableFuture().join()).isInstanceOf(Outcome.Completed.class);
            // The refused run left nothing behind, and its place is free again.
            assertThat(troupe.runs()).extracting(r -> r.conversationId()).containsExactly(first.conversationId());
            RunHandle later = troupe.run(TEAM, "later");
            await().atMost(Duration.ofSeconds(30)).until(() -> model.calls.size() == 1);
            model.releaseAll();
            assertThat(later.outcome().toCompletableFuture().join()).isInstanceOf(Outcome.Completed.class);
        }
    }

    @Test
    void invalidLimits_areReportedTogether() {
        assertThatThrownBy(() -> TroupeHarness.runtime()
                        .maxRunsInFlight(0)
                        .maxQueuedRuns(-1)
                        .maxQueueWait(Duration.ZERO)
                        .start())
                .hasMessageContaining("maxRunsInFlight must be at least 1, got 0")
                .hasMessageContaining("maxQueuedRuns must not be negative, got -1")
                .hasMessageContaining("maxQueueWait must be positive, got PT0S");
    }
}
