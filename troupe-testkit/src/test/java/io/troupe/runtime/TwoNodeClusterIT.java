package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.CallOrigin;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.testkit.FreePorts;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.TroupeHarness;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The same engine as a two-node cluster on loopback: conversations started on one node run on both (sharding
 * places them), every message and event crosses the wire serialized, and the starting node still receives each
 * run's events and outcome. The multi-node deployment needs no second code path. A run that lands on a node without
 * its model has the node's catalog prepare it from the run's metadata.
 */
class TwoNodeClusterIT {

    /** A model that echoes the last user entry and counts its calls, one per node. */
    private static LanguageModel echo(AtomicInteger calls) {
        return (request, tokens) -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(
                    ModelResponse.text("echo: " + request.lastUserText(), Usage.of(1, 1)));
        };
    }

    @Test
    void runsStartedOnOneNode_runAcrossBothAndReportBack() throws IOException {
        int[] ports = FreePorts.loopback(2);
        int portA = ports[0];
        int portB = ports[1];
        String seeds = "pekko.cluster.seed-nodes = [\"pekko://troupe@127.0.0.1:" + portA + "\"]\n";
        AtomicInteger callsOnA = new AtomicInteger();
        AtomicInteger callsOnB = new AtomicInteger();
        TeamSpec team = TeamSpec.builder("pair")
                .members(AgentSpec.of("first", "m", "You go first."), AgentSpec.of("second", "m", "You go next."))
                .build();

        try (Troupe nodeA = node(portA, seeds, callsOnA);
                Troupe nodeB = node(portB, seeds, callsOnB)) {
            List<RunHandle> runs = runUntilBServes(i -> nodeA.run(team, "task " + i), callsOnB);
            for (int i = 0; i < runs.size(); i++) {
                RunRecord run = TroupeHarness.collect(runs.get(i));
                assertThat(run.result()).isEqualTo("echo: task " + i + "\n\nfirst answered:\necho: task " + i);
                assertThat(run.protocol())
                        .containsExactly(
                                "@team→first REQUEST",
                                "first→@team INFORM",
                                "@team→second REQUEST",
                                "second→@team INFORM");
            }
            // Sharding spread the conversations over both nodes; each ran wholly where it lives.
            assertThat(callsOnA.get() + callsOnB.get()).isEqualTo(2 * runs.size());
            assertThat(callsOnA.get()).isPositive();
            assertThat(callsOnB.get()).isPositive();
            // Either node can read any run from the shared journal.
            assertThat(nodeB.replay(runs.getFirst().conversationId())
                            .toCompletableFuture()
                            .join()
                            .outcome())
                    .isPresent();
        }
    }

    @Test
    void runLandingOnANodeWithoutItsModel_isPreparedThereFromItsMetadata() throws IOException {
        int[] ports = FreePorts.loopback(2);
        int portA = ports[0];
        int portB = ports[1];
        String seeds = "pekko.cluster.seed-nodes = [\"pekko://troupe@127.0.0.1:" + portA + "\"]\n";
        AtomicInteger callsOnA = new AtomicInteger();
        AtomicInteger callsOnB = new AtomicInteger();
        List<String> prepared = java.util.Collections.synchronizedList(new ArrayList<>());
        // Node B builds model 'm' only when a run that needs it arrives and names its spec, as a server does.
        Catalog lazy = new Catalog() {
            private volatile LanguageModel built;

            @Override
            public java.util.Optional<LanguageModel> model(String name) {
                return name.equals("m") ? java.util.Optional.ofNullable(built) : java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<io.troupe.api.tool.Tool> tool(String name) {
                return java.util.Optional.empty();
            }

            @Override
            public void prepare(TeamSpec team, java.util.Map<String, String> metadata) {
                prepared.add(metadata.get("spec"));
                if ("echo-spec".equals(metadata.get("spec"))) {
                    built = echo(callsOnB);
                }
            }
        };
        TeamSpec team = TeamSpec.builder("solo")
                .members(AgentSpec.of("only", "m", "You answer."))
                .build();

        try (Troupe nodeA = node(portA, seeds, callsOnA);
                Troupe nodeB = TroupeRuntime.builder()
                        .catalog(lazy)
                        .journal(new Journal.H2Memory("two-nodes"))
                        .config(TroupeHarness.TEST_CONFIG)
                        .config("pekko.remote.artery.canonical.port = " + portB + "\n" + seeds)
                        .start()) {
            List<RunHandle> runs =
                    runUntilBServes(i -> nodeA.run(team, "task " + i, java.util.Map.of("spec", "echo-spec")), callsOnB);
            for (int i = 0; i < runs.size(); i++) {
                assertThat(TroupeHarness.collect(runs.get(i)).result()).isEqualTo("echo: task " + i);
            }
            assertThat(callsOnB.get()).as("runs that ran on B").isPositive();
            assertThat(callsOnA.get() + callsOnB.get()).isEqualTo(runs.size());
            assertThat(prepared).isNotEmpty().containsOnly("echo-spec");
        }
    }

    @Test
    void aNodeThatLeaves_handsItsConversationsOver_andTheyFinishOnTheOtherWithoutBeingAsked() throws IOException {
        int[] ports = FreePorts.loopback(2);
        int portA = ports[0];
        int portB = ports[1];
        // A cluster's nodes remember the conversations they hold, so that sharding starts them again elsewhere.
        String cluster = "pekko.cluster.seed-nodes = [\"pekko://troupe@127.0.0.1:" + portA + "\"]\n"
                + "pekko.cluster.sharding.remember-entities = on\n"
                + "pekko.cluster.sharding.remember-entities-store = eventsourced\n";
        // A's model never answers: the runs that live on A are still waiting for it when A leaves.
        Set<String> heldOnA = ConcurrentHashMap.newKeySet();
        LanguageModel holding = (request, tokens) -> {
            CallOrigin origin = CallOrigin.current();
            heldOnA.add(origin == null ? "?" : origin.conversationId());
            return new CompletableFuture<>();
        };
        AtomicInteger callsOnB = new AtomicInteger();
        TeamSpec team = TeamSpec.builder("solo")
                .members(AgentSpec.of("only", "m", "You answer."))
                .build();

        Troupe nodeA = TroupeRuntime.builder()
                .model("m", holding)
                .journal(new Journal.H2Memory("two-nodes-handover"))
                .config(TroupeHarness.TEST_CONFIG)
                .config("pekko.remote.artery.canonical.port = " + portA + "\n" + cluster)
                .start();
        try (Troupe nodeB = TroupeRuntime.builder()
                .model("m", echo(callsOnB))
                .journal(new Journal.H2Memory("two-nodes-handover"))
                .config(TroupeHarness.TEST_CONFIG)
                .config("pekko.remote.artery.canonical.port = " + portB + "\n" + cluster)
                .start()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ids.add(nodeA.run(team, "task " + i).conversationId());
            }
            Awaitility.await("runs waiting for A's model")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> !heldOnA.isEmpty() && callsOnB.get() + heldOnA.size() == ids.size());
            List<String> moved = List.copyOf(heldOnA);

            // A leaves: its runs' followers go with it, so nobody asks for the runs it held; sharding alone starts
            // them on B, where they recover and finish.
            nodeA.close();

            Awaitility.await("the runs A held finish on B")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> moved.stream()
                            .allMatch(id -> nodeB.replay(id)
                                    .toCompletableFuture()
                                    .join()
                                    .outcome()
                                    .isPresent()));
            for (String id : moved) {
                assertThat(nodeB.replay(id).toCompletableFuture().join().outcome())
                        .as("run " + id)
                        .hasValueSatisfying(outcome -> assertThat(outcome)
                                .isInstanceOfSatisfying(
                                        Outcome.Completed.class,
                                        completed ->
                                                assertThat(completed.result()).startsWith("echo: task")));
            }
            assertThat(callsOnB.get()).isEqualTo(ids.size());
        } finally {
            nodeA.close();
        }
    }

    /**
     * Starts runs (task {@code i} for the i-th) in rounds of 20, each round run to its end, until some ran on B: B's
     * shard region registers with the coordinator a moment after B joins, and until then every new conversation is
     * placed on A. Returns every run started.
     */
    private static List<RunHandle> runUntilBServes(
            java.util.function.IntFunction<RunHandle> start, AtomicInteger callsOnB) {
        List<RunHandle> runs = new ArrayList<>();
        Awaitility.await("conversations placed on B too")
                .atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> {
                    int first = runs.size();
                    for (int i = first; i < first + 20; i++) {
                        runs.add(start.apply(i));
                    }
                    runs.subList(first, runs.size()).forEach(TroupeHarness::collect);
                    return callsOnB.get() > 0;
                });
        return runs;
    }

    private static Troupe node(int port, String seeds, AtomicInteger calls) {
        return TroupeRuntime.builder()
                .model("m", echo(calls))
                .journal(new Journal.H2Memory("two-nodes"))
                .config(TroupeHarness.TEST_CONFIG)
                .config("pekko.remote.artery.canonical.port = " + port + "\n" + seeds)
                .start();
    }
}
