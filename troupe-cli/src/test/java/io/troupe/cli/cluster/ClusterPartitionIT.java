package io.troupe.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node cut off from the other two for 30 s, on Artery TCP through loopback proxies the test controls (no root
 * needed): the cut node, a minority, downs itself (the split-brain resolver's keep-majority) and exits; the majority
 * takes over its conversations only after it stopped writing; no conversation is written by two nodes (the journal's
 * writer per sequence number, audited in PostgreSQL); and after the cut heals and the node is started again, every run
 * completes with every effect and message once.
 */
class ClusterPartitionIT {
    private static final Duration CUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void cutNode_downsItself_andTheMajorityFinishesEverything_oneWriterAtATime() throws Exception {
        try (ClusterFixture cluster = new ClusterFixture(dir, Duration.ofMillis(200))) {
            List<ClusterNode> nodes = cluster.start(ClusterFixture.Options.proxied(3));
            ClusterNode minority = nodes.get(2);
            List<ClusterNode> majority = nodes.subList(0, 2);
            AtomicBoolean cut = new AtomicBoolean();
            try (Load load = new Load(cluster, 30, () -> cut.get() ? majority : nodes)) {
                ClusterFixture.awaitEffects(cluster, 60);
                Map<String, String> before = cluster.lastWriter();
                assertThat(before.values()).as("nodes writing before the cut").contains("node3");

                // Runs wait at their fourth agent until the cut node is gone: it keeps working on the others until
                // it downs itself, and leaves conversations in the middle for the majority to take over. The cut
                // comes once the cut node holds such a conversation: otherwise it may have finished all of its own
                // before it downs itself, and there is nothing to take over.
                cluster.model().hold("a4");
                Awaitility.await("a conversation on the node to cut waiting at its fourth agent")
                        .atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> !waitingAtTheFourthAgent(cluster, "node3").isEmpty());
                Instant cutAt = Instant.now();
                cut.set(true);
                cluster.cut(3);
                int exit = minority.awaitExit(Duration.ofSeconds(90));
                Instant downAt = Instant.now();
                assertThat(exit)
                        .as("the minority's exit code\n" + minority.tail())
                        .isEqualTo(3);
                assertThat(minority.log())
                        .as("the minority's log")
                        .contains("SBR took decision DownReachable")
                        .contains("including myself")
                        .contains("error: the node was downed");
                System.out.printf(
                        "partition: the cut node downed itself and exited %.1f s after the cut%n",
                        Duration.between(cutAt, downAt).toMillis() / 1000.0);

                cluster.model().release();
                // For the rest of the cut, the majority goes on (it takes the cut node's conversations over and
                // applies their effects) while the cut node stays down.
                long effectsAtDown = cluster.effectTotal();
                Duration rest = Duration.between(Instant.now(), cutAt.plus(CUT));
                if (!rest.isNegative()) {
                    Awaitility.await("the cut node stays down for the rest of the cut")
                            .during(rest)
                            .atMost(rest.plusSeconds(5))
                            .until(() -> !minority.alive());
                    assertThat(cluster.effectTotal())
                            .as("effects the majority applied while the node was cut off")
                            .isGreaterThan(effectsAtDown);
                }
                // The majority removes the cut node and takes over its conversations before it may come back: on a
                // busy machine, detection and stability may take most of the 30 s, and a node restarted at the same
                // address before its removal would get its conversations back itself.
                ClusterFixture.awaitMembers(majority.getFirst(), 2, Duration.ofMinutes(2));
                Awaitility.await("the majority writes to a conversation the cut node wrote last")
                        .atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> takenOver(cluster.conversationWrites(), cutAt, Instant.now()) > 0);
                cluster.heal(3);
                Instant healAt = Instant.now();
                minority.start();
                ClusterFixture.awaitReady(minority, Duration.ofMinutes(4));
                ClusterFixture.awaitMembers(nodes.get(0), 3, Duration.ofMinutes(2));
                cut.set(false);
                ClusterFixture.awaitEffects(cluster, cluster.effectTotal() + 30);

                List<String> ids = load.stop();
                cluster.awaitFinished(ids, () -> nodes, Duration.ofMinutes(5));
                Checks.allCompleted(cluster, ids);
                Checks.effectsExactlyOnce(cluster, ids);
                Checks.messagesExactlyOnce(nodes, ids);
                Map<String, List<String>> writers = Checks.oneWriterAtATime(cluster);

                // The minority stopped writing before the majority took over any of its conversations: every write
                // after the cut by a majority node to a conversation that the cut node wrote last came after the cut
                // node's last write.
                List<ClusterFixture.Write> writes = cluster.conversationWrites();
                Instant minorityLast = writes.stream()
                        .filter(w -> w.node().equals("node3") && w.at().isBefore(healAt))
                        .map(ClusterFixture.Write::at)
                        .max(Instant::compareTo)
                        .orElseThrow();
                for (ClusterFixture.Write write : takeovers(writes, cutAt, healAt)) {
                    assertThat(write.at())
                            .as(write.conversation() + " taken over before the cut node stopped writing")
                            .isAfter(minorityLast);
                }
                long takenOver = takenOver(writes, cutAt, healAt);
                assertThat(takenOver).as("conversations the majority took over").isPositive();
                System.out.printf(
                        "partition: %d runs, %d taken over from the cut node; effects tool called %d times for %d"
                                + " effects%n",
                        ids.size(), takenOver, cluster.effectCalls(), cluster.effectTotal());
            }
        }
    }

    /**
     * The conversations that {@code node} wrote last and that applied the effects of their first and third agents
     * only: they are at their fourth agent.
     */
    private static List<String> waitingAtTheFourthAgent(ClusterFixture cluster, String node) throws Exception {
        Map<String, String> lastWriter = cluster.lastWriter();
        Map<String, List<String>> effects = cluster.effects();
        return lastWriter.entrySet().stream()
                .filter(entry -> entry.getValue().equals(node))
                .map(Map.Entry::getKey)
                .filter(id -> effects.getOrDefault(id, List.of()).equals(List.of("a1", "a3")))
                .toList();
    }

    /**
     * The writes by a majority node, after the cut, to a conversation whose previous write was the cut node's, before
     * {@code healAt}: the conversations the majority took over.
     */
    private static List<ClusterFixture.Write> takeovers(
            List<ClusterFixture.Write> writes, Instant cutAt, Instant healAt) {
        List<ClusterFixture.Write> takeovers = new java.util.ArrayList<>();
        for (int i = 1; i < writes.size(); i++) {
            ClusterFixture.Write previous = writes.get(i - 1);
            ClusterFixture.Write write = writes.get(i);
            if (write.conversation().equals(previous.conversation())
                    && previous.node().equals("node3")
                    && previous.at().isBefore(healAt)
                    && !write.node().equals("node3")
                    && write.at().isAfter(cutAt)) {
                takeovers.add(write);
            }
        }
        return takeovers;
    }

    private static long takenOver(List<ClusterFixture.Write> writes, Instant cutAt, Instant healAt) {
        return takeovers(writes, cutAt, healAt).size();
    }
}
