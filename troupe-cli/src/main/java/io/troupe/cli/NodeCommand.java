package io.troupe.cli;

import io.troupe.kubernetes.KubernetesBootstrap;
import io.troupe.server.ClusterSettings;
import io.troupe.server.Downing;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code troupe node}: a server that is one node of a cluster, sharing a PostgreSQL journal with the others. */
@Command(
        name = "node",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a node of a Troupe cluster: it joins through the seed nodes (or, on Kubernetes, the pods it finds"
                    + " through the Kubernetes API), takes its share of the conversations,"
                    + " and serves the same HTTP API as 'troupe serve' for every run of the cluster.",
            "Every node needs the same journal (PostgreSQL), specs, plugins and token.",
            "Split-brain resolver: keep-majority by default. A node silent for --heartbeat-pause is unreachable; once"
                    + " membership has been stable for --stable-after, the majority downs it (a minority downs"
                    + " itself and this process exits), and after --down-removal-margin its conversations resume on"
                    + " the others: about 15 s with the defaults. Shorter times recover faster but down healthy nodes"
                    + " under load. SIGTERM leaves the cluster and hands this node's conversations over first."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  export TROUPE_JOURNAL_USER=troupe TROUPE_JOURNAL_PASSWORD=... TROUPE_API_TOKEN=...",
            "  troupe node --cluster-port 25520 --seed 127.0.0.1:25520 --port 8081 --journal jdbc:postgresql://db/troupe",
            "  troupe node --cluster-port 25521 --seed 127.0.0.1:25520 --port 8082 --journal jdbc:postgresql://db/troupe",
            "  troupe node --discovery kubernetes --cluster-host $POD_IP --host 0.0.0.0 --required-contact-points 3 \\",
            "       --journal jdbc:postgresql://db/troupe   # in a pod; see deploy/helm/troupe",
            "  troupe cluster status --url http://127.0.0.1:8081"
        })
final class NodeCommand implements Callable<Integer> {
    @Mixin
    ServeOptions options = new ServeOptions();

    @Mixin
    DiscoveryOptions discovery = new DiscoveryOptions();

    @Option(
            names = "--seed",
            paramLabel = "HOST:PORT",
            split = ",",
            description = "A seed node's cluster address; repeat or separate with commas. The first node of a new"
                    + " cluster names itself first. Not with --discovery kubernetes.")
    List<String> seeds = List.of();

    @Option(
            names = "--cluster-host",
            paramLabel = "ADDRESS",
            description = "The address other nodes reach this node at (default: ${DEFAULT-VALUE}).")
    String clusterHost = "127.0.0.1";

    @Option(
            names = "--cluster-port",
            paramLabel = "PORT",
            description = "The cluster port; keep it closed to all but the other nodes (default: ${DEFAULT-VALUE}).")
    int clusterPort = 25520;

    @Option(
            names = "--cluster-bind",
            paramLabel = "HOST:PORT",
            description = "Where to listen for the other nodes, when it differs from --cluster-host:--cluster-port"
                    + " (NAT, a container's port mapping, a proxy).")
    @Nullable
    String clusterBind;

    @Option(
            names = "--downing",
            paramLabel = "STRATEGY",
            description = "The split-brain resolver's strategy: keep-majority (default), keep-oldest or down-all.")
    String downing = Downing.DEFAULT.strategy();

    @Option(
            names = "--heartbeat-pause",
            paramLabel = "SECONDS",
            description = "How long a node may be silent before it is unreachable (default: ${DEFAULT-VALUE}).")
    double heartbeatPause = seconds(Downing.DEFAULT.heartbeatPause());

    @Option(
            names = "--stable-after",
            paramLabel = "SECONDS",
            description = "How long membership must be stable before unreachable nodes are downed (default:"
                    + " ${DEFAULT-VALUE}); at least 2 and at least the heartbeat pause.")
    double stableAfter = seconds(Downing.DEFAULT.stableAfter());

    @Option(
            names = "--down-removal-margin",
            paramLabel = "SECONDS",
            description = "How long the survivors wait after downing a node before they take over its conversations"
                    + " (default: ${DEFAULT-VALUE}); at least 1.")
    double removalMargin = seconds(Downing.DEFAULT.removalMargin());

    @Override
    public Integer call() throws InterruptedException {
        discovery.check(seeds);
        ClusterSettings cluster = new ClusterSettings(
                clusterHost,
                clusterPort,
                clusterBind,
                // Empty with Kubernetes discovery: Cluster Bootstrap joins the node instead.
                seeds,
                new Downing(downing, duration(heartbeatPause), duration(stableAfter), duration(removalMargin)));
        String config = cluster.hocon();
        if (discovery.kubernetes()) {
            KubernetesBootstrap bootstrap = discovery.bootstrap(clusterHost);
            bootstrap.checkEnvironment(System::getenv);
            config = config + bootstrap.hocon();
            System.err.println("Finding the other nodes through the Kubernetes API: " + bootstrap.describe());
        }
        String settings = config;
        return ServeCommand.serve(options.builder().runtime(runtime -> runtime.config(settings)), options);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static Duration duration(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
