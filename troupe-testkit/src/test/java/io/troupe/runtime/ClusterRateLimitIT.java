package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.resilience.RateLimit;
import io.troupe.testkit.FreePorts;
import io.troupe.testkit.TroupeHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A provider's rate limit holds across a two-node cluster: 40 runs on two nodes whose models share a limit of 30
 * requests a minute make 30 calls at once (a full bucket), then the rest at the refill rate, one every two seconds;
 * both nodes' calls count against the one limit.
 */
class ClusterRateLimitIT {
    private static final RateLimit LIMIT = new RateLimit("provider", 30, 0);

    @Test
    void limitSharedByTwoNodes_admitsAMinutesWorthAtOnce_thenTheRefillRate() throws Exception {
        int[] ports = FreePorts.loopback(2);
        int portA = ports[0];
        int portB = ports[1];
        String seeds = "pekko.cluster.seed-nodes = [\"pekko://troupe@127.0.0.1:" + portA + "\"]\n";
        List<Long> calls = Collections.synchronizedList(new ArrayList<>());
        TeamSpec team = TeamSpec.builder("solo")
                .members(AgentSpec.of("only", "limited", "You answer."))
                .build();

        try (Troupe nodeA = node(portA, seeds, calls);
                Troupe nodeB = node(portB, seeds, calls)) {
            List<RunHandle> runs = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < 40; i++) {
                runs.add((i % 2 == 0 ? nodeA : nodeB).submit(team, "task " + i, java.util.Map.of()));
            }
            for (RunHandle run : runs) {
                assertThat(run.outcome().toCompletableFuture().get(2, TimeUnit.MINUTES))
                        .isInstanceOf(Outcome.Completed.class);
            }
            List<Long> seconds = calls.stream()
                    .map(at -> Duration.ofNanos(at - start).toMillis())
                    .sorted()
                    .toList();
            assertThat(seconds).hasSize(40);
            // The bucket holds a minute's worth, 30 calls, and refills one call every 2 s: whatever the pace of the
            // runs, the k-th call (from 0) comes no sooner than 2 s × (k - 29) after the first.
            for (int k = 30; k < seconds.size(); k++) {
                assertThat(seconds.get(k) - seconds.getFirst())
                        .as("call " + k + " after the first, in ms")
                        .isGreaterThanOrEqualTo(2000L * (k - 29) - 300);
            }
            assertThat(seconds.stream()
                            .filter(ms -> ms < seconds.getFirst() + 1500)
                            .count())
                    .as("calls within 1.5 s of the first")
                    .isLessThanOrEqualTo(30);
        }
    }

    private static Troupe node(int port, String seeds, List<Long> calls) {
        LanguageModel model = (request, tokens) -> {
            calls.add(System.nanoTime());
            return CompletableFuture.completedFuture(ModelResponse.text("done", Usage.of(10, 2)));
        };
        return TroupeRuntime.builder()
                .model("limited", model)
                .rateLimit("limited", LIMIT)
                .journal(new Journal.H2Memory("rate-limits"))
                .config(TroupeHarness.TEST_CONFIG)
                .config("pekko.remote.artery.canonical.port = " + port + "\n" + seeds)
                .start();
    }
}
