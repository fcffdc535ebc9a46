package io.troupe.cli;

import io.troupe.api.ConfigurationException;
import io.troupe.kubernetes.KubernetesApi;
import io.troupe.kubernetes.KubernetesBootstrap;
import io.troupe.kubernetes.ManagementEndpoint;
import io.troupe.kubernetes.PodSelector;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * How {@code troupe node} finds the other nodes: through {@code --seed} addresses, or through the Kubernetes API
 * with Pekko Management's Cluster Bootstrap ({@code --discovery kubernetes}). Each option also reads an environment
 * variable, so that a Helm chart or a container sets them without a command line.
 */
final class DiscoveryOptions {
    @Option(
            names = "--discovery",
            paramLabel = "METHOD",
            defaultValue = "${env:TROUPE_DISCOVERY:-seeds}",
            description = "How the node finds the others: seeds (through --seed, the default) or kubernetes (its pods"
                    + " through the Kubernetes API, with Pekko Cluster Bootstrap; no --seed). Env: TROUPE_DISCOVERY.")
    String method = "seeds";

    @Option(
            names = "--service-name",
            paramLabel = "NAME",
            defaultValue = "${env:TROUPE_SERVICE_NAME:-troupe}",
            description = "kubernetes: the value %%s stands for in --pod-selector (default: ${DEFAULT-VALUE})."
                    + " Env: TROUPE_SERVICE_NAME.")
    String serviceName = "troupe";

    @Option(
            names = "--pod-selector",
            paramLabel = "SELECTOR",
            defaultValue = "${env:TROUPE_POD_SELECTOR:-" + PodSelector.DEFAULT_LABEL_SELECTOR + "}",
            description = "kubernetes: the label selector of the cluster's pods (default: ${DEFAULT-VALUE})."
                    + " Env: TROUPE_POD_SELECTOR.")
    String podSelector = PodSelector.DEFAULT_LABEL_SELECTOR;

    @Option(
            names = "--namespace",
            paramLabel = "NAMESPACE",
            defaultValue = "${env:TROUPE_NAMESPACE}",
            description = "kubernetes: the namespace of the cluster's pods (default: the pod's own). Env:"
                    + " TROUPE_NAMESPACE.")
    @Nullable
    String namespace;

    @Option(
            names = "--required-contact-points",
            paramLabel = "N",
            defaultValue = "${env:TROUPE_REQUIRED_CONTACT_POINTS:-2}",
            description = "kubernetes: how many pods must answer before a new cluster forms; set it to the number of"
                    + " replicas (default: ${DEFAULT-VALUE}). Env: TROUPE_REQUIRED_CONTACT_POINTS.")
    int requiredContactPoints = 2;

    @Option(
            names = "--management-port",
            paramLabel = "PORT",
            defaultValue = "${env:TROUPE_MANAGEMENT_PORT:-" + ManagementEndpoint.DEFAULT_PORT + "}",
            description = "kubernetes: the port of Pekko Management (health checks /alive and /ready, the bootstrap"
                    + " contact point), on --cluster-host; the pod's port named 'management' (default:"
                    + " ${DEFAULT-VALUE}). Env: TROUPE_MANAGEMENT_PORT.")
    int managementPort = ManagementEndpoint.DEFAULT_PORT;

    @Option(
            names = "--kubernetes-ca",
            paramLabel = "FILE",
            description = "kubernetes: the Kubernetes API's CA certificate (default: the pod's service account's).")
    @Nullable
    Path caCertificate;

    @Option(
            names = "--kubernetes-token",
            paramLabel = "FILE",
            description = "kubernetes: the file holding the Kubernetes API token (default: the pod's service"
                    + " account's).")
    @Nullable
    Path token;

    /** Whether the node finds the others through the Kubernetes API. */
    boolean kubernetes() {
        return switch (method.strip().toLowerCase(Locale.ROOT)) {
            case "seeds" -> false;
            case "kubernetes" -> true;
            default ->
                throw new ConfigurationException("Unknown discovery method '" + method
                        + "' (--discovery or TROUPE_DISCOVERY); use seeds or" + " kubernetes");
        };
    }

    /**
     * Checks that the seeds and the discovery method go together: seed nodes without Kubernetes discovery, none with
     * it.
     */
    void check(List<String> seeds) {
        boolean kubernetes = kubernetes();
        if (kubernetes && !seeds.isEmpty()) {
            throw new ConfigurationException("--seed and --discovery kubernetes exclude each other: on Kubernetes the"
                    + " nodes find each other through the Kubernetes API; drop --seed");
        }
        if (!kubernetes && seeds.isEmpty()) {
            throw new ConfigurationException("A node needs a way to find the others: --seed HOST:PORT (the first node"
                    + " of a cluster names itself), or --discovery kubernetes on Kubernetes");
        }
    }

    /** Cluster Bootstrap's settings for a node reached at {@code host}. */
    KubernetesBootstrap bootstrap(String host) {
        KubernetesApi inPod = KubernetesApi.inPod();
        return new KubernetesBootstrap(
                new ManagementEndpoint(host, managementPort),
                new PodSelector(serviceName, podSelector, blankToNull(namespace), requiredContactPoints),
                new KubernetesApi(
                        caCertificate != null ? caCertificate : inPod.caCertificate(),
                        token != null ? token : inPod.token()));
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
