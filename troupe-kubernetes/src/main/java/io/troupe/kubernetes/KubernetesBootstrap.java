package io.troupe.kubernetes;

import com.typesafe.config.ConfigUtil;
import io.troupe.api.Checks;
import io.troupe.api.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * How a node forms or joins its cluster on Kubernetes, through Pekko Management's Cluster Bootstrap with Kubernetes
 * API discovery; {@link #hocon()} gives the Pekko settings for {@code TroupeRuntime.Builder.config}, in place of
 * seed nodes.
 *
 * <p>When the node starts, Pekko Management listens on {@link #management()}, and Bootstrap lists the {@link
 * #pods()} through the {@link #api()} again and again. It probes each pod's management endpoint: if one of them
 * belongs to a cluster, the node joins it; if none does and the required number of pods have agreed for the stable
 * margin, the pod with the lowest address forms the cluster and the others join it. The node is ready (Pekko
 * Management's {@code /ready}) once it is an {@code up} member, its journal answers a read ({@link
 * JournalReadinessCheck}) and its region of the sharded conversations has registered (the runtime names that region
 * in Pekko's sharding health check); it is alive ({@code /alive})
 * while its actor system runs.
 *
 * <p>Use seed nodes instead where pods are not listed by a Kubernetes API (one machine, plain hosts).
 *
 * @param management where this node's Pekko Management listens (its pod's IP and the port named {@value
 *     PodSelector#PORT_NAME})
 * @param pods which pods are the cluster's nodes
 * @param api how to reach the Kubernetes API
 */
public record KubernetesBootstrap(ManagementEndpoint management, PodSelector pods, KubernetesApi api) {
    /** The Pekko extension that starts Pekko Management and Cluster Bootstrap with the actor system. */
    static final String EXTENSION = "org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap";

    public KubernetesBootstrap {
        Checks.notNull(management, "management endpoint");
        Checks.notNull(pods, "pod selector");
        Checks.notNull(api, "Kubernetes API");
    }

    /**
     * The Pekko settings: no seed nodes, Pekko Management and Cluster Bootstrap started with the actor system,
     * Kubernetes API discovery of the pods, and the readiness checks (an {@code up} member, the journal answering, and
     * Pekko's sharding check, which waits for the regions the runtime names: the conversations').
     */
    public String hocon() {
        String namespace = pods.namespace() == null ? "" : "pod-namespace = " + quote(pods.namespace()) + "\n";
        return """
                pekko.extensions += %s
                pekko.cluster.seed-nodes = []
                pekko.management {
                  http.hostname = %s
                  http.port = %d
                  cluster.bootstrap.contact-point-discovery {
                    discovery-method = kubernetes-api
                    service-name = %s
                    port-name = %s
                    required-contact-point-nr = %d
                  }
                  cluster.health-check.ready-states = ["Up"]
                  health-checks {
                    readiness-checks.troupe-journal = %s
                    check-timeout = 3s
                  }
                }
                pekko.cluster.sharding.healthcheck.timeout = 2s
                pekko.discovery.kubernetes-api {
                  pod-label-selector = %s
                  api-ca-path = %s
                  api-token-path = %s
                  use-raw-ip = true
                %s}
                """.formatted(
                        quote(EXTENSION),
                        quote(management.host()),
                        management.port(),
                        quote(pods.serviceName()),
                        quote(PodSelector.PORT_NAME),
                        pods.requiredContactPoints(),
                        quote(JournalReadinessCheck.class.getName()),
                        quote(pods.labelSelector()),
                        quote(api.caCertificate().toString()),
                        quote(api.token().toString()),
                        namespace.isEmpty() ? "" : "  " + namespace);
    }

    /** The variables, set by Kubernetes in every pod, that give the API server's address. */
    public static final List<String> API_SERVER_VARIABLES =
            List.of("KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT");

    /**
     * Checks, before the node starts, what Bootstrap needs from its pod: the API server's address in {@code env},
     * and the CA certificate and token files. Without them Bootstrap cannot list a pod, and the node would wait for
     * a cluster it cannot find.
     *
     * @throws ConfigurationException listing every problem, each with its remedy
     */
    public void checkEnvironment(Function<String, @Nullable String> env) {
        List<String> problems = new ArrayList<>();
        List<String> unset = API_SERVER_VARIABLES.stream()
                .filter(name -> blank(env.apply(name)))
                .toList();
        String port = env.apply("KUBERNETES_SERVICE_PORT");
        if (!unset.isEmpty()) {
            problems.add(String.join(" and ", unset) + " " + (unset.size() == 1 ? "is" : "are") + " not set, so the"
                    + " Kubernetes API cannot be found; Kubernetes sets them in every pod (outside one, set them to"
                    + " the API server's host and port, or use --seed)");
        } else if (port != null && !port.strip().matches("[0-9]{1,5}")) {
            problems.add("KUBERNETES_SERVICE_PORT is '" + port + "', not a port number");
        }
        readable(api.caCertificate(), "The Kubernetes API's CA certificate", "--kubernetes-ca FILE", problems);
        readable(api.token(), "The Kubernetes API token", "--kubernetes-token FILE", problems);
        ConfigurationException.throwIfAny("Cannot find the other nodes through the Kubernetes API", problems);
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    private static void readable(Path file, String what, String option, List<String> problems) {
        if (!Files.isReadable(file)) {
            problems.add(what + " " + file + (Files.exists(file) ? " cannot be read" : " does not exist")
                    + "; in a pod, mount the service account's token (automountServiceAccountToken: true),"
                    + " elsewhere give " + option);
        }
    }

    /** One line for people: what the node looks for and where its health checks are. */
    public String describe() {
        return "pods with labels " + pods.effectiveSelector() + " in "
                + (pods.namespace() == null ? "this pod's namespace" : "namespace " + pods.namespace())
                + ", forming a new cluster once " + pods.requiredContactPoints() + " answer; health checks on http://"
                + management.host() + ":" + management.port() + "/ready and /alive";
    }

    private static String quote(String value) {
        return ConfigUtil.quoteString(value);
    }
}
