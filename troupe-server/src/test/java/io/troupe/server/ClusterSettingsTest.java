package io.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.api.ConfigurationException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {
    @Test
    void hocon_joinsThroughTheSeeds_remembersConversations_andDownsAsConfigured() {
        Config config = ConfigFactory.parseString(new ClusterSettings(
                                "node-1.example.org",
                                25520,
                                "0.0.0.0:2552",
                                List.of("node-1.example.org:25520", "node-2.example.org:25520"),
                                Downing.DEFAULT)
                        .hocon())
                .resolve();

        assertThat(config.getString("pekko.remote.artery.canonical.hostname")).isEqualTo("node-1.example.org");
        assertThat(config.getInt("pekko.remote.artery.canonical.port")).isEqualTo(25520);
        assertThat(config.getString("pekko.remote.artery.bind.hostname")).isEqualTo("0.0.0.0");
        assertThat(config.getInt("pekko.remote.artery.bind.port")).isEqualTo(2552);
        assertThat(config.getStringList("pekko.cluster.seed-nodes"))
                .containsExactly("pekko://troupe@node-1.example.org:25520", "pekko://troupe@node-2.example.org:25520");
        assertThat(config.getBoolean("pekko.cluster.sharding.remember-entities"))
                .isTrue();
        assertThat(config.getString("pekko.cluster.sharding.remember-entities-store"))
                .isEqualTo("eventsourced");
        assertThat(config.getString("pekko.cluster.split-brain-resolver.active-strategy"))
                .isEqualTo("keep-majority");
        assertThat(config.getDuration("pekko.cluster.failure-detector.acceptable-heartbeat-pause"))
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(config.getDuration("pekko.cluster.split-brain-resolver.stable-after"))
                .isEqualTo(Duration.ofSeconds(4));
        assertThat(config.getDuration("pekko.cluster.down-removal-margin")).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.getDuration("pekko.cluster.seed-node-timeout")).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void defaults_leaveTimeToRecoverACrashedNodeWithinFifteenSeconds() {
        // Detection, stability and margin; the rest (removal, the coordinator, replaying journals) takes 3-5 s.
        assertThat(Downing.DEFAULT.expectedRecovery()).isEqualTo(Duration.ofSeconds(10));
        assertThat(Downing.FASTEST_SAFE.expectedRecovery()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void hocon_withoutSeeds_listsNoSeedNodes_soThatClusterBootstrapJoinsTheNode() {
        Config config = ConfigFactory.parseString(
                        new ClusterSettings("10.1.2.3", 25520, null, List.of(), Downing.DEFAULT).hocon())
                .resolve();

        assertThat(config.getStringList("pekko.cluster.seed-nodes")).isEmpty();
        assertThat(config.getString("pekko.remote.artery.canonical.hostname")).isEqualTo("10.1.2.3");
        assertThat(config.getBoolean("pekko.cluster.sharding.remember-entities"))
                .isTrue();
    }

    @Test
    void unsafeDowning_isRefusedWithEveryReason() {
        assertThatThrownBy(() -> new Downing("keep-most", Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ZERO))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(
                        "unknown downing strategy 'keep-most'; use one of keep-majority, keep-oldest," + " down-all")
                .hasMessageContaining("the heartbeat pause (500 ms) must be at least 1 s")
                .hasMessageContaining("stable-after (1000 ms) must be at least 2 s")
                .hasMessageContaining("the removal margin (0 ms) must be at least 1 s");
        assertThatThrownBy(() -> new Downing(
                        "keep-majority", Duration.ofSeconds(8), Duration.ofSeconds(4), Duration.ofSeconds(2)))
                .hasMessageContaining(
                        "stable-after (4000 ms) must be at least 2 s and at least the heartbeat pause" + " (8000 ms)");
    }

    @Test
    void addressesThatAreNotHostAndPort_areRefusedNamingTheOption() {
        assertThatThrownBy(() -> ClusterSettings.of("127.0.0.1", 25520, List.of("127.0.0.1")))
                .hasMessageEndingWith(
                        "Seed '127.0.0.1' is not HOST:PORT, such as 10.0.0.1:25520 or node-1.example.org:25520");
        assertThatThrownBy(() -> ClusterSettings.of("127.0.0.1", 25520, List.of()))
                .hasMessageContaining("A node needs at least one seed node (--seed HOST:PORT)");
        assertThatThrownBy(
                        () -> new ClusterSettings("127.0.0.1", 25520, "0.0.0.0:99999", List.of("a:1"), Downing.DEFAULT))
                .hasMessageEndingWith("--cluster-bind '0.0.0.0:99999': its port must be from 1 to 65535, got 99999");
    }
}
