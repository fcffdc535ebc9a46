package io.troupe.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import io.troupe.runtime.Journal;
import io.troupe.runtime.internal.conversation.ConversationEntity;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeConfigTest {
    private static final String DB = NodeConfig.SLICK + ".db";

    @Test
    void build_postgres_takesCredentialsFromTheEnvironment_andKeepsThemOutOfTheUrl() {
        Map<String, String> env = Map.of("TROUPE_JOURNAL_USER", "troupe", "TROUPE_JOURNAL_PASSWORD", "s3cret");
        Config config = NodeConfig.build(
                Journal.postgres("jdbc:postgresql://db:5432/troupe"),
                "",
                getClass().getClassLoader(),
                env::get);

        assertThat(config.getString(DB + ".url")).isEqualTo("jdbc:postgresql://db:5432/troupe");
        assertThat(config.getString(DB + ".user")).isEqualTo("troupe");
        assertThat(config.getString(DB + ".password")).isEqualTo("s3cret");
        assertThat(config.getString(DB + ".driver")).isEqualTo("org.postgresql.Driver");
        assertThat(config.getString(NodeConfig.SLICK + ".profile")).isEqualTo("slick.jdbc.PostgresProfile$");
        assertThat(config.getString("pekko.persistence.journal.plugin")).isEqualTo("jdbc-journal");
    }

    @Test
    void build_postgres_withoutCredentials_leavesThemToTheDriver() {
        Config config = NodeConfig.build(
                Journal.postgres("jdbc:postgresql://db/troupe?user=app"),
                "",
                getClass().getClassLoader(),
                Map.<String, String>of()::get);

        assertThat(config.hasPath(DB + ".user")).isFalse();
        assertThat(config.hasPath(DB + ".password")).isFalse();
    }

    @Test
    void build_withoutSeedNodes_isAQuietClusterOfOne() {
        Config config = NodeConfig.build(Journal.inMemory(), "", getClass().getClassLoader());

        assertThat(NodeConfig.joinsItself(config)).isTrue();
        assertThat(config.getDuration("pekko.cluster.gossip-interval").toSeconds())
                .isEqualTo(10);
        assertThat(config.getBoolean("pekko.java-flight-recorder.enabled")).isFalse();
        assertThat(config.getString("pekko.cluster.downing-provider-class")).isEqualTo(LoneNodeDowning.class.getName());
        assertThat(config.getBoolean("pekko.cluster.sharding.distributed-data.delta-crdt.enabled"))
                .isFalse();
        assertThat(config.getBoolean("pekko.cluster.typed.receptionist.distributed-data.delta-crdt.enabled"))
                .isFalse();
        assertThat(config.getString("pekko.remote.artery.advanced.use-dispatcher"))
                .isEqualTo("pekko.actor.internal-dispatcher");
    }

    @Test
    void build_withSeedNodes_keepsPekkosClusterDefaults() {
        Config config = NodeConfig.build(
                Journal.inMemory(),
                "pekko.cluster.seed-nodes = [\"pekko://troupe@10.0.0.1:25520\"]",
                getClass().getClassLoader());

        assertThat(NodeConfig.joinsItself(config)).isFalse();
        assertThat(config.getDuration("pekko.cluster.gossip-interval").toMillis())
                .isEqualTo(1000);
        assertThat(config.getString("pekko.cluster.downing-provider-class"))
                .isEqualTo("org.apache.pekko.cluster.sbr.SplitBrainResolverProvider");
        assertThat(config.getBoolean("pekko.cluster.sharding.distributed-data.delta-crdt.enabled"))
                .isTrue();
    }

    @Test
    void build_withClusterBootstrap_doesNotJoinItself_andKeepsPekkosClusterDefaults() {
        Config config = NodeConfig.build(
                Journal.inMemory(),
                "pekko.extensions += \"" + NodeConfig.CLUSTER_BOOTSTRAP + "\"",
                getClass().getClassLoader());

        assertThat(NodeConfig.joinsItself(config)).isFalse();
        assertThat(config.getDuration("pekko.cluster.gossip-interval").toMillis())
                .isEqualTo(1000);
    }

    @Test
    void build_shardingHealthCheck_waitsForTheConversationsRegion_besideAnyTheOverridesName() {
        Config plain = NodeConfig.build(Journal.inMemory(), "", getClass().getClassLoader());
        Config more = NodeConfig.build(
                Journal.inMemory(),
                NodeConfig.SHARDING_HEALTH_CHECK_NAMES + " = [\"Orders\"]",
                getClass().getClassLoader());

        assertThat(plain.getStringList(NodeConfig.SHARDING_HEALTH_CHECK_NAMES))
                .containsExactly(ConversationEntity.TYPE_KEY.name());
        assertThat(more.getStringList(NodeConfig.SHARDING_HEALTH_CHECK_NAMES))
                .containsExactly("Orders", ConversationEntity.TYPE_KEY.name());
    }
}
