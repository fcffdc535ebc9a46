package io.troupe.server;

import io.troupe.api.Checks;
import io.troupe.api.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a cluster downs the nodes it cannot reach, and so how fast the conversations of a crashed node resume
 * elsewhere: the split-brain resolver's strategy and its three timeouts.
 *
 * <p>A silent node is unreachable once the failure detector has waited {@code heartbeatPause} (plus about a second
 * to be sure). The split-brain resolver acts when membership has been stable for {@code stableAfter}: with {@code
 * keep-majority}, the side with more than half the nodes downs the others, and a minority downs itself, so two sides
 * never both run a conversation (with an even split, the side with the lowest address survives; run an odd number of
 * nodes). The survivors then wait {@code removalMargin} (Pekko's down-removal-margin), so that a minority that
 * noticed the cut a little later has stopped its conversations, before they start them from the journal. Recovery of
 * a crashed node's conversations therefore takes about {@code heartbeatPause + 1 s + stableAfter + removalMargin},
 * plus 3 to 5 s for the leader to remove the node, the shard coordinator to move, and the journals to replay.
 *
 * <p>The trade-off: shorter times recover faster, but down healthy nodes during a long garbage collection, a busy CPU
 * or a network hiccup, and leave less room between the two sides' decisions in a partition. The journal refuses a
 * second writer at the same position whatever the settings, so a too-short margin costs repeated model and tool calls
 * (tools see the same idempotency key), never a forked journal.
 *
 * @param strategy {@code keep-majority} (the default), {@code keep-oldest} or {@code down-all}
 * @param heartbeatPause how long a node may be silent before it is unreachable; at least 1 s
 * @param stableAfter how long membership must be stable before the resolver downs nodes; at least 2 s and at least
 *     the heartbeat pause
 * @param removalMargin how long the survivors wait after downing a node before they take over its conversations; at
 *     least 1 s
 */
public record Downing(String strategy, Duration heartbeatPause, Duration stableAfter, Duration removalMargin) {
    /** The strategies a node may use. */
    public static final List<String> STRATEGIES = List.of("keep-majority", "keep-oldest", "down-all");

    /**
     * The defaults: keep-majority, a 3 s heartbeat pause, 4 s of stability and a 2 s margin. Measured on three nodes
     * on one machine, a crashed node's conversations resume elsewhere about 15 s after the crash.
     */
    public static final Downing DEFAULT =
            new Downing("keep-majority", Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(2));

    /**
     * The fastest settings still safe on a healthy network and unloaded nodes: a 2 s heartbeat pause, 3 s of
     * stability and a 2 s margin, about 2 s faster than the defaults. Expect healthy nodes to be downed under long
     * pauses.
     */
    public static final Downing FASTEST_SAFE =
            new Downing("keep-majority", Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(2));

    public Downing {
        Checks.notNull(strategy, "downing strategy");
        strategy = strategy.toLowerCase(Locale.ROOT);
        Checks.notNull(heartbeatPause, "heartbeat pause");
        Checks.notNull(stableAfter, "stable-after");
        Checks.notNull(removalMargin, "removal margin");
        List<String> problems = new ArrayList<>();
        if (!STRATEGIES.contains(strategy)) {
            problems.add("unknown downing strategy '" + strategy + "'; use one of " + String.join(", ", STRATEGIES));
        }
        if (heartbeatPause.compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("the heartbeat pause (" + heartbeatPause.toMillis() + " ms) must be at least 1 s, or a busy"
                    + " node is taken for a dead one");
        }
        if (stableAfter.compareTo(Duration.ofSeconds(2)) < 0 || stableAfter.compareTo(heartbeatPause) < 0) {
            problems.add("stable-after (" + stableAfter.toMillis() + " ms) must be at least 2 s and at least the"
                    + " heartbeat pause (" + heartbeatPause.toMillis() + " ms), so that both sides of a cut see it"
                    + " before either decides");
        }
        if (removalMargin.compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("the removal margin (" + removalMargin.toMillis() + " ms) must be at least 1 s, so that a"
                    + " downed minority has stopped its conversations before the majority takes them over");
        }
        ConfigurationException.throwIfAny("The cluster's downing settings are unsafe", problems);
    }

    /**
     * The part of a crashed node's recovery that these settings decide: detection, stability and the margin. The
     * leader's removal of the node, the shard coordinator's move and the journals' replay add 3 to 5 s.
     */
    public Duration expectedRecovery() {
        return heartbeatPause.plusSeconds(1).plus(stableAfter).plus(removalMargin);
    }

    /** The Pekko settings. */
    String hocon() {
        return """
                pekko.cluster.downing-provider-class = "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider"
                pekko.cluster.split-brain-resolver.active-strategy = %s
                pekko.cluster.split-brain-resolver.stable-after = %dms
                pekko.cluster.down-removal-margin = %dms
                pekko.cluster.failure-detector.acceptable-heartbeat-pause = %dms
                """.formatted(strategy, stableAfter.toMillis(), removalMargin.toMillis(), heartbeatPause.toMillis());
    }
}
