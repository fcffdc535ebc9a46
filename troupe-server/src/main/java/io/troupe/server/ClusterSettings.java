package io.troupe.server;

import io.troupe.api.Checks;
import io.troupe.api.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a node joins a cluster: its own address for the other nodes, the seed nodes to join through, and how the
 * split-brain resolver downs nodes that cannot be reached. {@link #hocon()} gives the Pekko settings, for {@link
 * io.troupe.runtime.TroupeRuntime.Builder#config}.
 *
 * <p>The trade-off: when nodes stop hearing each other, a node is declared unreachable after the failure detector's
 * pause ({@code heartbeatPause}, 5 s here), and the resolver acts once membership has been stable for {@code
 * stableAfter} (20 s by default). Only then do the conversations of the downed side move to the surviving nodes, so
 * recovery takes about their sum. Shorter times recover faster but down healthy nodes during a long garbage
 * collection or a network hiccup; {@code stableAfter} must stay well above the pause. {@code keep-majority} (the
 * default) keeps the side with more than half the nodes and downs the other, so two sides never both write; with an
 * even split, the side with the lowest address survives. Nodes that must never run alone should use an odd count.
 *
 * @param host the address other nodes reach this node at (Artery's canonical hostname)
 * @param port the cluster port (Artery's canonical port), 25520 by default
 * @param seeds the seed nodes as {@code HOST:PORT}; the first node of a new cluster lists itself first
 * @param downing the split-brain resolver's strategy: {@code keep-majority}, {@code keep-oldest} or {@code
 *     down-all}
 * @param stableAfter how long membership must be stable before the resolver downs unreachable nodes
 * @param heartbeatPause how long a silent node may be before it is unreachable
 */
public record ClusterSettings(
        String host, int port, List<String> seeds, String downing, Duration stableAfter, Duration heartbeatPause) {

    /** The strategies a node may use. */
    public static final List<String> STRATEGIES = List.of("keep-majority", "keep-oldest", "down-all");

    public ClusterSettings {
        Checks.notBlank(host, "cluster host");
        if (port < 1 || port > 65535) {
            throw new ConfigurationException("The cluster port must be from 1 to 65535, got " + port);
        }
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new ConfigurationException("A node needs at least one seed node (--seed HOST:PORT); the first node of"
                    + " a cluster names itself");
        }
        for (String seed : seeds) {
            int colon = seed.lastIndexOf(':');
            if (colon <= 0 || !seed.substring(colon + 1).matches("[0-9]{1,5}")) {
                throw new ConfigurationException("Seed '" + seed + "' is not HOST:PORT, such as 10.0.0.1:25520");
            }
        }
        downing = downing.toLowerCase(Locale.ROOT);
        if (!STRATEGIES.contains(downing)) {
            throw new ConfigurationException(
                    "Unknown downing strategy '" + downing + "'; use one of " + String.join(", ", STRATEGIES));
        }
        if (stableAfter.compareTo(heartbeatPause.multipliedBy(2)) < 0) {
            throw new ConfigurationException("stable-after (" + stableAfter.toSeconds() + " s) must be at least twice"
                    + " the heartbeat pause (" + heartbeatPause.toSeconds() + " s), or healthy nodes get downed");
        }
    }

    /** A node on {@code host:port} joining through {@code seeds}, with keep-majority after 20 s of stability. */
    public static ClusterSettings of(String host, int port, List<String> seeds) {
        return new ClusterSettings(host, port, seeds, "keep-majority", Duration.ofSeconds(20), Duration.ofSeconds(5));
    }

    /** The Pekko settings. */
    public String hocon() {
        List<String> addresses = new ArrayList<>();
        for (String seed : seeds) {
            addresses.add("\"pekko://troupe@" + seed + "\"");
        }
        return """
                pekko.remote.artery.canonical.hostname = "%s"
                pekko.remote.artery.canonical.port = %d
                pekko.cluster.seed-nodes = [%s]
                pekko.cluster.downing-provider-class = "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider"
                pekko.cluster.split-brain-resolver.active-strategy = %s
                pekko.cluster.split-brain-resolver.stable-after = %ds
                pekko.cluster.failure-detector.acceptable-heartbeat-pause = %ds
                pekko.coordinated-shutdown.exit-jvm = off
                pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes = 60s
                """.formatted(
                host, port, String.join(", ", addresses), downing, stableAfter.toSeconds(), heartbeatPause.toSeconds());
    }
}
