package io.troupe.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node killed with SIGKILL in the middle of 100 conversations: three {@code troupe node} processes on 127.0.0.1
 * share an embedded PostgreSQL; a loopback model answers each call after 200 ms; each conversation is a five-agent
 * pipeline in which three agents call a side-effecting tool that records its effect in PostgreSQL by idempotency key.
 * The killed node's conversations resume on the two others: all 100 complete, every effect is applied once, every
 * journaled message reaches its receiver once, clients following a moved run over SSE through another node get every
 * event once, and no conversation is written by two nodes at a time. Prints the time from the kill to the last
 * completion.
 */
class ClusterFailoverIT {
    private static final int RUNS = 100;

    @TempDir
    Path dir;

    @Test
    void killedNode_itsConversationsFinishOnTheOthers_withEveryEffectAndMessageOnce() throws Exception {
        try (ClusterFixture cluster = new ClusterFixture(dir, Duration.ofMillis(200))) {
            List<ClusterNode> nodes = cluster.start(ClusterFixture.Options.plain(3));
            Checks.anyNodeAnswersForAnyRun(cluster, nodes);
            ClusterNode victim = nodes.get(0); // the oldest: it also hosts the shard coordinator
            List<ClusterNode> survivors = nodes.subList(1, 3);

            // 100 runs through the three APIs, ten clients at a time; the model holds its answers until all 100 are
            // in flight together.
            cluster.model().hold();
            List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> started = new ArrayList<>();
                for (int c = 0; c < 10; c++) {
                    started.add(clients.submit(() -> {
                        for (int i = next.getAndIncrement(); i < RUNS; i = next.getAndIncrement()) {
                            ids.add(cluster.startRun(nodes.get(i % 3)));
                        }
                        return null;
                    }));
                }
                for (Future<?> client : started) {
                    client.get();
                }
            }
            cluster.model().release();
            System.out.printf("failover: %d runs started%n", ids.size());

            // Early in the runs (a tenth of the effects in), follow some of the victim's runs through the others.
            ClusterFixture.awaitEffects(cluster, RUNS * 3 / 10);
            // Runs on the victim that have a while to go (at most one of their three effects applied).
            Map<String, String> lastWriter = cluster.lastWriter();
            Map<String, List<String>> effects = cluster.effects();
            List<StreamFollower> followers = new ArrayList<>();
            for (String id : ids) {
                if ("node1".equals(lastWriter.get(id))
                        && effects.getOrDefault(id, List.of()).size() <= 1
                        && followers.size() < 4) {
                    followers.add(new StreamFollower(survivors.get(followers.size() % 2), id));
                }
            }
            assertThat(followers).as("runs on the victim to follow").isNotEmpty();
            Awaitility.await("the followers' streams open")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> followers.stream().allMatch(StreamFollower::connected));

            Instant kill = Instant.now();
            victim.kill();
            Instant last = cluster.awaitFinished(ids, () -> survivors, Duration.ofMinutes(5));
            Duration recovery = Duration.between(kill, last);
            System.out.printf(
                    "FIGURE\tfailover: SIGKILL of 1 of 3 nodes to the last of %d runs completed\t%.1f\ts\tdowning %s%n",
                    RUNS, recovery.toMillis() / 1000.0, System.getProperty("troupe.cluster.downing", "ci"));

            // When the survivors took the victim's conversations over: their first journal write after the kill.
            List<Long> takeovers = new ArrayList<>();
            ClusterFixture.Write previous = null;
            for (ClusterFixture.Write write : cluster.conversationWrites()) {
                if (previous != null
                        && previous.conversation().equals(write.conversation())
                        && previous.node().equals("node1")
                        && !write.node().equals("node1")
                        && write.at().isAfter(kill)) {
                    takeovers.add(Duration.between(kill, write.at()).toMillis());
                }
                previous = write;
            }
            assertThat(takeovers)
                    .as("conversations taken over from the killed node")
                    .isNotEmpty();
            takeovers.sort(null);
            System.out.printf(
                    "FIGURE\tfailover: SIGKILL to the killed node's conversations resuming elsewhere (first, last)"
                            + "\t%.1f, %.1f\ts\t%d conversations%n",
                    takeovers.getFirst() / 1000.0, takeovers.getLast() / 1000.0, takeovers.size());

            Checks.allCompleted(cluster, ids);
            Checks.effectsExactlyOnce(cluster, ids);
            Checks.messagesExactlyOnce(survivors, ids);
            Map<String, List<String>> writers = Checks.oneWriterAtATime(cluster);
            long moved = writers.values().stream()
                    .filter(w -> w.getFirst().equals("node1") && w.size() > 1)
                    .count();
            assertThat(moved).as("conversations that moved off the killed node").isPositive();
            long followedMoved = 0;
            for (StreamFollower follower : followers) {
                List<Long> positions = follower.awaitEnd(Duration.ofMinutes(2));
                assertThat(positions)
                        .as("journal positions streamed for " + follower)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, positions.size())
                                .boxed()
                                .toList());
                followedMoved += writers.get(follower.run()).size() > 1 ? 1 : 0;
            }
            assertThat(followedMoved)
                    .as("followed runs that moved while streamed")
                    .isPositive();
            System.out.printf(
                    "failover: %d of %d runs moved; effects tool called %d times for %d effects%n",
                    moved, RUNS, cluster.effectCalls(), cluster.effectTotal());
        }
    }
}
