package io.troupe.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.api.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesBootstrapTest {
    private static final KubernetesBootstrap BOOTSTRAP = new KubernetesBootstrap(
            new ManagementEndpoint("10.1.2.3", 7626),
            new PodSelector("troupe", "app.kubernetes.io/name=%s,app.kubernetes.io/instance=agents", "ai", 3),
            new KubernetesApi(Path.of("/sa/ca.crt"), Path.of("/sa/token")));

    /** The settings as the node sees them: over an application's extensions and the libraries' reference.conf. */
    private static Config effective(KubernetesBootstrap bootstrap) {
        return ConfigFactory.parseString(bootstrap.hocon())
                .withFallback(ConfigFactory.parseString("pekko.extensions = [\"com.example.Metrics\"]"))
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }

    @Test
    void hocon_startsBootstrapWithKubernetesApiDiscovery_andNoSeedNodes() {
        Config config = effective(BOOTSTRAP);

        assertThat(config.getStringList("pekko.extensions"))
                .as("added to the application's extensions, not in their place")
                .containsExactly("com.example.Metrics", KubernetesBootstrap.EXTENSION);
        assertThat(config.getStringList("pekko.cluster.seed-nodes")).isEmpty();
        Config discovery = config.getConfig("pekko.management.cluster.bootstrap.contact-point-discovery");
        assertThat(discovery.getString("discovery-method")).isEqualTo("kubernetes-api");
        assertThat(discovery.getString("service-name")).isEqualTo("troupe");
        assertThat(discovery.getString("port-name")).isEqualTo("management");
        assertThat(discovery.getInt("required-contact-point-nr")).isEqualTo(3);
        Config kubernetes = config.getConfig("pekko.discovery.kubernetes-api");
        assertThat(kubernetes.getString("pod-label-selector"))
                .isEqualTo("app.kubernetes.io/name=%s,app.kubernetes.io/instance=agents");
        assertThat(kubernetes.getString("pod-namespace")).isEqualTo("ai");
        assertThat(kubernetes.getString("api-ca-path")).isEqualTo("/sa/ca.crt");
        assertThat(kubernetes.getString("api-token-path")).isEqualTo("/sa/token");
        assertThat(kubernetes.getBoolean("use-raw-ip")).isTrue();
        assertThat(config.getString("pekko.management.http.hostname")).isEqualTo("10.1.2.3");
        assertThat(config.getInt("pekko.management.http.port")).isEqualTo(7626);
    }

    @Test
    void hocon_addsTroupesJournalCheck_besidePekkosMembershipAndShardingChecks() {
        Config config = effective(BOOTSTRAP);

        assertThat(config.getConfig("pekko.management.health-checks.readiness-checks")
                        .root()
                        .unwrapped())
                .containsEntry("troupe-journal", JournalReadinessCheck.class.getName())
                .containsKeys("cluster-membership", "sharding");
        assertThat(config.getStringList("pekko.cluster.sharding.healthcheck.names"))
                .as("the runtime names its conversations' region itself (NodeConfig), where its entity type is defined")
                .isEmpty();
        assertThat(config.getDuration("pekko.cluster.sharding.healthcheck.timeout"))
                .isLessThan(config.getDuration("pekko.management.health-checks.check-timeout"));
        assertThat(config.getStringList("pekko.management.cluster.health-check.ready-states"))
                .as("ready only as an up member, as Troupe's own /health/ready")
                .containsExactly("Up");
        assertThat(config.getString("pekko.management.health-checks.readiness-path"))
                .isEqualTo("ready");
        assertThat(config.getString("pekko.management.health-checks.liveness-path"))
                .isEqualTo("alive");
    }

    @Test
    void hocon_withoutANamespace_readsThePodsOwn() {
        KubernetesBootstrap bootstrap = new KubernetesBootstrap(
                new ManagementEndpoint("10.1.2.3", 7626), PodSelector.of("troupe", 2), KubernetesApi.inPod());

        Config kubernetes = effective(bootstrap).getConfig("pekko.discovery.kubernetes-api");

        assertThat(kubernetes.getString("pod-namespace")).isEqualTo("<pod-namespace>");
        assertThat(kubernetes.getString("pod-namespace-path"))
                .isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
        assertThat(kubernetes.getString("pod-label-selector")).isEqualTo("app.kubernetes.io/name=%s");
        assertThat(kubernetes.getString("api-token-path"))
                .isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount/token");
    }

    @Test
    void podSelector_refusesWhatKubernetesWouldNot_sayingWhatToWrite() {
        assertThatThrownBy(() -> PodSelector.of("Troupe_Nodes", 3))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("The service name 'Troupe_Nodes' is not a Kubernetes label value");
        assertThatThrownBy(() -> new PodSelector("troupe", "app=\"troupe\"", null, 3))
                .hasMessageContaining("write it like app.kubernetes.io/name=%s,tier=agents");
        assertThatThrownBy(() -> new PodSelector("troupe", "app=%s", "AI", 3))
                .hasMessageContaining("The namespace 'AI' is not a Kubernetes namespace name");
        assertThatThrownBy(() -> PodSelector.of("troupe", 0)).hasMessageContaining("Set it to the number of replicas");
        assertThatThrownBy(() -> new ManagementEndpoint("10.0.0.1", 70000))
                .hasMessageContaining("The management port must be from 1 to 65535, got 70000");
        assertThat(new PodSelector("troupe", "app.kubernetes.io/name=%s,tier in (agents, tools)", null, 1)
                        .effectiveSelector())
                .isEqualTo("app.kubernetes.io/name=troupe,tier in (agents, tools)");
    }

    @Test
    void checkEnvironment_outsideAPod_listsEveryMissingPiece_withItsRemedy() {
        assertThatThrownBy(() -> BOOTSTRAP.checkEnvironment(name -> null))
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).problems())
                        .containsExactly(
                                "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set, so the Kubernetes API"
                                        + " cannot be found; Kubernetes sets them in every pod (outside one, set them"
                                        + " to the API server's host and port, or use --seed)",
                                "The Kubernetes API's CA certificate /sa/ca.crt does not exist; in a pod, mount the"
                                        + " service account's token (automountServiceAccountToken: true), elsewhere"
                                        + " give --kubernetes-ca FILE",
                                "The Kubernetes API token /sa/token does not exist; in a pod, mount the service"
                                        + " account's token (automountServiceAccountToken: true), elsewhere give"
                                        + " --kubernetes-token FILE"));
    }

    @Test
    void checkEnvironment_inAPod_passes(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
        Path token = Files.writeString(dir.resolve("token"), "token");
        KubernetesBootstrap bootstrap = new KubernetesBootstrap(
                new ManagementEndpoint("10.1.2.3", 7626), PodSelector.of("troupe", 3), new KubernetesApi(ca, token));
        Map<String, String> env = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443");

        bootstrap.checkEnvironment(env::get);

        assertThatThrownBy(() -> bootstrap.checkEnvironment(
                        Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "https")::get))
                .satisfies(e -> assertThat(((ConfigurationException) e).problems())
                        .isEqualTo(List.of("KUBERNETES_SERVICE_PORT is 'https', not a port number")));
    }

    @Test
    void describe_tellsWhatTheNodeLooksFor() {
        assertThat(BOOTSTRAP.describe())
                .isEqualTo("pods with labels app.kubernetes.io/name=troupe,app.kubernetes.io/instance=agents in"
                        + " namespace ai, forming a new cluster once 3 answer; health checks on"
                        + " http://10.1.2.3:7626/ready and /alive");
    }
}
