package io.troupe.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling restart under a load of 50 conversations: each of three nodes in turn gets SIGTERM, leaves the cluster
 * (coordinated shutdown hands its conversations over to the others before it exits), and is started again. Nothing
 * is lost or done twice (every run completes, every effect and message once, one writer at a time), and no run waits
 * longer than a handover.
 */
class RollingRestartIT {
    @TempDir
    Path dir;

    @Test
    void eachNodeRestartedInTurn_underLoad_losesAndRepeatsNothing() throws Exception {
        try (ClusterFixture cluster = new ClusterFixture(dir, Duration.ofMillis(200))) {
            List<ClusterNode> nodes = cluster.start(ClusterFixture.Options.plain(3));
            List<ClusterNode> serving = new ArrayList<>(nodes);
            List<Duration> handovers = new ArrayList<>();
            List<String> ids;
            try (Load load = new Load(cluster, 50, () -> List.copyOf(serving))) {
                ClusterFixture.awaitEffects(cluster, 60);
                for (ClusterNode node : nodes) {
                    synchronized (serving) {
                        serving.remove(node);
                    }
                    Instant term = Instant.now();
                    node.terminate();
                    int exit = node.awaitExit(Duration.ofMinutes(2));
                    handovers.add(Duration.between(term, Instant.now()));
                    // A JVM that SIGTERM stops exits with 128 + 15 once its shutdown hooks (the handover) are done.
                    assertThat(exit)
                            .as(node + " exit code after SIGTERM\n" + node.tail())
                            .isEqualTo(143);
                    assertThat(node.log())
                            .as(node + " left the cluster before it exited")
                            .contains("Exiting completed")
                            .contains("Stopping: runs in progress");
                    node.start();
                    ClusterFixture.awaitReady(node, Duration.ofMinutes(4));
                    ClusterFixture.awaitMembers(node, 3, Duration.ofMinutes(2));
                    synchronized (serving) {
                        serving.add(node);
                    }
                    // Some progress with the node back before the next one goes.
                    ClusterFixture.awaitEffects(cluster, cluster.effectTotal() + 30);
                }
                ids = load.stop();
            }
            cluster.awaitFinished(ids, () -> nodes, Duration.ofMinutes(5));
            Checks.allCompleted(cluster, ids);
            Checks.effectsExactlyOnce(cluster, ids);
            Checks.messagesExactlyOnce(nodes, ids);
            Map<String, List<String>> writers = Checks.oneWriterAtATime(cluster);
            long handedOver =
                    writers.values().stream().filter(w -> w.size() > 1).count();
            assertThat(handedOver).as("conversations handed over").isPositive();

            // The longest pause in any run's journal stays within a handover (SIGTERM to exit) plus 20 s: a model call,
            // and a rebalance to the restarted node, whose steps (majority writes of the shard's home with a 5 s retry,
            // shard-start-timeout and shard-failure-backoff of 10 s) stack when the two cores are starved: a CI run hit
            // a
            // 10.0 s pause once in four (handovers of 3.0-4.2 s), and another 15.4 s while a node's heartbeat was 3.2 s
            // late. A lost conversation would wait for ever.
            Duration longest = Duration.ZERO;
            Instant pauseFrom = Instant.EPOCH;
            ClusterFixture.Write previous = null;
            for (ClusterFixture.Write write : cluster.conversationWrites()) {
                if (previous != null && previous.conversation().equals(write.conversation())) {
                    Duration pause = Duration.between(previous.at(), write.at());
                    if (pause.compareTo(longest) > 0) {
                        longest = pause;
                        pauseFrom = previous.at();
                    }
                }
                previous = write;
            }
            Duration handover = handovers.stream().max(Duration::compareTo).orElseThrow();
            System.out.printf(
                    "rolling restart: %d runs, %d handed over; SIGTERM to exit %s; longest pause in a run %.1f s%n",
                    ids.size(),
                    handedOver,
                    handovers.stream()
                            .map(d -> String.format("%.1f s", d.toMillis() / 1000.0))
                            .toList(),
                    longest.toMillis() / 1000.0);
            Instant pauseStart = pauseFrom;
            Instant pauseEnd = pauseFrom.plus(longest);
            assertThat(longest)
                    .as(() -> "the longest pause in a run's journal; the nodes' log lines meanwhile:\n"
                            + logsBetween(nodes, pauseStart, pauseEnd))
                    .isLessThanOrEqualTo(handover.plusSeconds(20));
        }
    }

    /**
     * The lines the nodes logged from {@code from} to {@code to} (their logs start each line with the time of day,
     * {@code troupe.log.time}), with the lines that continue them (stack traces), by node.
     */
    private static String logsBetween(List<ClusterNode> nodes, Instant from, Instant to) {
        LocalTime start = LocalTime.ofInstant(from, ZoneId.systemDefault()).minusSeconds(1);
        LocalTime end = LocalTime.ofInstant(to, ZoneId.systemDefault()).plusSeconds(1);
        StringBuilder out = new StringBuilder();
        for (ClusterNode node : nodes) {
            out.append("--- ").append(node).append('\n');
            boolean inside = false;
            for (String line : node.log().split("\n")) {
                LocalTime at = timeOf(line);
                if (at != null) {
                    inside = !at.isBefore(start) && !at.isAfter(end);
                }
                if (inside) {
                    out.append(line).append('\n');
                }
            }
        }
        return out.toString();
    }

    private static @Nullable LocalTime timeOf(String line) {
        if (line.length() < 12) {
            return null;
        }
        try {
            return LocalTime.parse(line.substring(0, 12));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
