package io.troupe.cli;

import io.troupe.kubernetes.KubernetesBootstrap;
import io.troupe.server.ClusterSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
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
            "Split-brain resolver: keep-majority by default; a node that stops hearing the others is downed after"
                    + " the heartbeat pause plus --stable-after, and its conversations move to the majority."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  export TROUPE_JOURNAL_USER=troupe TROUPE_JOURNAL_PASSWORD=... TROUPE_API_TOKEN=...",
            "  troupe node --cluster-port 25520 --seed 127.0.0.1:25520 --port 8081 --journal jdbc:postgresql://db/troupe",
            "  troupe node --cluster-port 25521 --seed 127.0.0.1:25520 --port 8082 --journal jdbc:postgresql://db/troupe",
            "  troupe node --discovery kubernetes --cluster-host $POD_IP --host 0.0.0.0 --required-contact-points 3 \\",
            "       --journal jdbc:postgresql://db/troupe   # in a pod; see deploy/helm/troupe"
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
            names = "--downing",
            paramLabel = "STRATEGY",
            description = "The split-brain resolver's strategy: keep-majority (default), keep-oldest or down-all.")
    String downing = "keep-majority";

    @Option(
            names = "--stable-after",
            paramLabel = "SECONDS",
            description = "How long membership must be stable before unreachable nodes are downed (default:"
                    + " ${DEFAULT-VALUE}); at least twice the heartbeat pause of 5 s.")
    int stableAfter = 20;

    @Override
    public Integer call() throws InterruptedException {
        discovery.check(seeds);
        // With Kubernetes discovery, Cluster Bootstrap's settings follow and empty the seed nodes again; the node's
        // own address only stands in for the seed that ClusterSettings requires.
        List<String> joinThrough = discovery.kubernetes() ? List.of(clusterHost + ":" + clusterPort) : seeds;
        ClusterSettings cluster = new ClusterSettings(
                clusterHost, clusterPort, joinThrough, downing, Duration.ofSeconds(stableAfter), Duration.ofSeconds(5));
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
}
