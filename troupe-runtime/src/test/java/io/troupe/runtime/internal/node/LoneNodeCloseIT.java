package io.troupe.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.Journal;
import io.troupe.runtime.TroupeRuntime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.junit.jupiter.api.Test;

/**
 * A node alone in its cluster closes without waiting for its cluster's periodic leader actions: leaving moves it to
 * Exiting at the next one, and no other node's leader can do it sooner.
 */
class LoneNodeCloseIT {
    @Test
    void aLoneNode_closesWithoutWaitingForItsNextLeaderAction() throws Exception {
        ModelResponse answer = ModelResponse.text("Done.", Usage.of(3, 1));
        // Leader actions a minute apart: a close that waited for the next one would hit the exiting phase's 10 s
        // timeout. The node still comes up at once (its first leader action comes after the initial delay).
        Troupe troupe = TroupeRuntime.builder()
                .journal(Journal.inMemory())
                .config("pekko.cluster.leader-actions-interval = 60s")
                .model("m", (request, tokens) -> CompletableFuture.completedFuture(answer))
                .start();
        Node node = (Node) troupe;
        // A run first, so that the sharding coordinator (a cluster singleton) runs and must be handed over on close.
        Outcome outcome = troupe.submit(
                        TeamSpec.single(AgentSpec.of("clerk", "m", "You answer."), Budget.DEFAULT), "Task", Map.of())
                .outcome()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertThat(outcome).isInstanceOf(Outcome.Completed.class);

        CompletableFuture<Void> closed = CompletableFuture.runAsync(troupe::close);

        closed.get(8, TimeUnit.SECONDS);
        assertThat(node.system().getWhenTerminated().toCompletableFuture().isDone())
                .isTrue();
        Optional<CoordinatedShutdown.Reason> reason =
                CoordinatedShutdown.get(node.system()).getShutdownReason();
        assertThat(reason).contains(CoordinatedShutdown.unknownReason());
    }
}
