package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import io.troupe.kubernetes.KubernetesBootstrap;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DiscoveryOptionsTest {
    private static NodeCommand parse(String... args) {
        NodeCommand node = new NodeCommand();
        new CommandLine(node).parseArgs(args);
        return node;
    }

    @Test
    void kubernetesOptions_makeTheBootstrapSettings() {
        NodeCommand node = parse(
                "--discovery", "Kubernetes",
                "--service-name", "agents",
                "--pod-selector", "app=%s",
                "--namespace", "ai",
                "--required-contact-points", "5",
                "--management-port", "8558",
                "--kubernetes-ca", "/ca.crt",
                "--kubernetes-token", "/token");

        node.discovery.check(node.seeds);
        KubernetesBootstrap bootstrap = node.discovery.bootstrap("10.0.0.7");

        assertThat(node.discovery.kubernetes()).isTrue();
        assertThat(bootstrap.management().host()).isEqualTo("10.0.0.7");
        assertThat(bootstrap.management().port()).isEqualTo(8558);
        assertThat(bootstrap.pods().effectiveSelector()).isEqualTo("app=agents");
        assertThat(bootstrap.pods().namespace()).isEqualTo("ai");
        assertThat(bootstrap.pods().requiredContactPoints()).isEqualTo(5);
        assertThat(bootstrap.api().caCertificate()).isEqualTo(Path.of("/ca.crt"));
        assertThat(bootstrap.api().token()).isEqualTo(Path.of("/token"));
    }

    @Test
    void kubernetesDefaults_areThePodsServiceAccount_andTheChartsLabels() {
        NodeCommand node = parse("--discovery", "kubernetes");

        KubernetesBootstrap bootstrap = node.discovery.bootstrap("10.0.0.7");

        assertThat(bootstrap.pods().effectiveSelector()).isEqualTo("app.kubernetes.io/name=troupe");
        assertThat(bootstrap.pods().namespace()).isNull();
        assertThat(bootstrap.management().port()).isEqualTo(7626);
        assertThat(bootstrap.api().token()).isEqualTo(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"));
    }

    @Test
    void seedsAndDiscovery_mustGoTogether() {
        assertThatThrownBy(() -> parse().discovery.check(List.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("--seed HOST:PORT (the first node of a cluster names itself), or --discovery"
                        + " kubernetes on Kubernetes");
        NodeCommand both = parse("--discovery", "kubernetes", "--seed", "10.0.0.1:25520");
        assertThatThrownBy(() -> both.discovery.check(both.seeds))
                .hasMessageContaining("--seed and --discovery kubernetes exclude each other");
        assertThatThrownBy(() -> parse("--discovery", "dns").discovery.kubernetes())
                .hasMessageContaining("Unknown discovery method 'dns' (--discovery or TROUPE_DISCOVERY); use seeds or"
                        + " kubernetes");
        NodeCommand seeds = parse("--seed", "10.0.0.1:25520");
        seeds.discovery.check(seeds.seeds);
        assertThat(seeds.discovery.kubernetes()).isFalse();
    }

    @Test
    void node_withoutAWayToFindTheOthers_isAUsageError() {
        assertThat(Main.execute("node", "--port", "0")).isEqualTo(Main.USAGE);
    }
}
