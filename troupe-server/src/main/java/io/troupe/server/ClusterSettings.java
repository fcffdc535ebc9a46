package io.troupe.server;

import io.troupe.api.Checks;
import io.troupe.api.ConfigurationException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a node joins a cluster: the address other nodes reach it at, where it listens if that differs, the seed nodes
 * it joins through, and how nodes that cannot be reached are downed ({@link Downing}). {@link #hocon()} gives the
 * Pekko settings, for {@link io.troupe.runtime.TroupeRuntime.Builder#config}.
 *
 * <p>A node of a cluster remembers the conversations it holds: when it crashes or is downed, the surviving nodes
 * start them again from the journal (Pekko's remember-entities, kept in the journal), and when it leaves, they are
 * handed over before it exits. Every node of one cluster must use the same settings.
 *
 * @param host the address other nodes reach this node at (Artery's canonical hostname): an IP address or a name
 * @param port the cluster port other nodes reach this node at (Artery's canonical port), 25520 by default
 * @param bind where the node listens, as {@code HOST:PORT}, when that differs from {@code host:port} (behind NAT, a
 *     container's port mapping, or a proxy); null to listen at {@code host:port}
 * @param seeds the seed nodes as {@code HOST:PORT}; the first node of a new cluster lists itself first. Empty when
 *     something else joins the node to its cluster: Pekko Management's Cluster Bootstrap (the {@code
 *     troupe-kubernetes} module's settings, added after these) or {@code Cluster.join} from code
 * @param downing how unreachable nodes are downed, and how fast
 */
public record ClusterSettings(
        String host, int port, @Nullable String bind, List<String> seeds, Downing downing) {

    public ClusterSettings {
        Checks.notBlank(host, "cluster host");
        checkPort(port, "The cluster port");
        if (bind != null) {
            hostPort(bind, "--cluster-bind");
        }
        seeds = List.copyOf(seeds);
        for (String seed : seeds) {
            hostPort(seed, "Seed");
        }
        Checks.notNull(downing, "downing");
    }

    /**
     * A node on {@code host:port} joining through {@code seeds}, with the {@link Downing#DEFAULT} downing.
     *
     * @throws ConfigurationException if there is no seed
     */
    public static ClusterSettings of(String host, int port, List<String> seeds) {
        if (seeds.isEmpty()) {
            throw new ConfigurationException("A node needs at least one seed node (--seed HOST:PORT); the first node of"
                    + " a cluster names itself");
        }
        return new ClusterSettings(host, port, null, seeds, Downing.DEFAULT);
    }

    /** These settings, with {@code downing}. */
    public ClusterSettings withDowning(Downing downing) {
        return new ClusterSettings(host, port, bind, seeds, downing);
    }

    /** The Pekko settings. */
    public String hocon() {
        List<String> addresses = new ArrayList<>();
        for (String seed : seeds) {
            addresses.add("\"pekko://troupe@" + seed + "\"");
        }
        StringBuilder hocon = new StringBuilder();
        hocon.append("pekko.remote.artery.canonical.hostname = \"")
                .append(host)
                .append("\"\n")
                .append("pekko.remote.artery.canonical.port = ")
                .append(port)
                .append('\n');
        if (bind != null) {
            int colon = bind.lastIndexOf(':');
            hocon.append("pekko.remote.artery.bind.hostname = \"")
                    .append(bind, 0, colon)
                    .append("\"\n")
                    .append("pekko.remote.artery.bind.port = ")
                    .append(bind.substring(colon + 1))
                    .append('\n');
        }
        hocon.append("pekko.cluster.seed-nodes = [")
                .append(String.join(", ", addresses))
                .append("]\n")
                .append(downing.hocon())
                .append("""
                        # Conversations are remembered in the journal, shard by shard: a crashed or downed node's
                        # conversations start again on the survivors, and a leaving node's are handed over.
                        pekko.cluster.sharding.remember-entities = on
                        pekko.cluster.sharding.remember-entities-store = eventsourced
                        # A remembered conversation that stops without passivating starts again after this; Pekko's
                        # 10 s default would hold a moved run that long.
                        pekko.cluster.sharding.entity-restart-backoff = 1 s
                        # Ten times the largest cluster we expect: enough to spread the load, few enough that a
                        # new cluster allocates them quickly. Every node must use the same number.
                        pekko.cluster.sharding.number-of-shards = 100
                        # Where shards live is written to a majority of the nodes, not to all of them: a node that
                        # is slow (a long pause, a busy CPU) must not stall every new conversation. Safe for the
                        # crash or departure of one node at a time; the journal still refuses a second writer.
                        pekko.cluster.sharding.distributed-data.majority-min-cap = 1
                        pekko.cluster.sharding.coordinator-state.write-majority-plus = 0
                        pekko.cluster.sharding.coordinator-state.read-majority-plus = 0
                        pekko.coordinated-shutdown.exit-jvm = off
                        pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes = 60s
                        # The first seed forms a new cluster when no other seed answers for this long: longer than
                        # the stalls of a busy machine, so that a restarted first seed joins the running cluster
                        # instead of forming a second one beside it.
                        pekko.cluster.seed-node-timeout = 15s
                        """);
        return hocon.toString();
    }

    private static void hostPort(String value, String what) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || !value.substring(colon + 1).matches("[0-9]{1,5}")) {
            throw new ConfigurationException(
                    what + " '" + value + "' is not HOST:PORT, such as 10.0.0.1:25520 or node-1.example.org:25520");
        }
        checkPort(Integer.parseInt(value.substring(colon + 1)), what + " '" + value + "': its port");
    }

    private static void checkPort(int port, String what) {
        if (port < 1 || port > 65535) {
            throw new ConfigurationException(what + " must be from 1 to 65535, got " + port);
        }
    }
}
