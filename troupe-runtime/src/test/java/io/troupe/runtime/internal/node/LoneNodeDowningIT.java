package io.troupe.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import io.troupe.runtime.Journal;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.MemberStatus;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A node that joins itself runs without Pekko's split brain resolver (its ticks are an idle node's cost), and starts
 * it as soon as another node joins: a cluster formed that way still downs unreachable nodes.
 */
class LoneNodeDowningIT {
    private static final String RESOLVER = "/system/cluster/core/daemon/downingProvider/split-brain-resolver";

    @Test
    void aLoneNode_startsTheSplitBrainResolver_onlyOnceAnotherNodeJoins() throws Exception {
        Config lone = NodeConfig.build(Journal.inMemory(), "", getClass().getClassLoader());
        assertThat(lone.getString("pekko.cluster.downing-provider-class")).isEqualTo(LoneNodeDowning.class.getName());
        ActorSystem first = ActorSystem.create("troupe", lone);
        ActorSystem second = null;
        try {
            Cluster firstCluster = Cluster.get(first);
            firstCluster.join(firstCluster.selfAddress());
            TestProbe<Void> probe = TestProbe.create(Adapter.toTyped(first));
            probe.awaitAssert(Duration.ofSeconds(20), () -> {
                assertThat(firstCluster.selfMember().status()).isEqualTo(MemberStatus.up());
                return null;
            });
            assertThat(resolver(first)).as("alone: no resolver").isNull();

            second = ActorSystem.create("troupe", lone);
            Cluster secondCluster = Cluster.get(second);
            secondCluster.join(firstCluster.selfAddress());
            probe.awaitAssert(Duration.ofSeconds(30), () -> {
                assertThat(resolver(first)).as("joined: a resolver").isNotNull();
                return null;
            });
            assertThat(firstCluster.state().members().size()).isEqualTo(2);
        } finally {
            if (second != null) {
                terminate(second);
            }
            terminate(first);
        }
    }

    private static void terminate(ActorSystem system) throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** The resolver actor under the downing provider of {@code system}, or null if there is none. */
    private static @Nullable ActorRef resolver(ActorSystem system) {
        try {
            return system.actorSelection(RESOLVER)
                    .resolveOne(Duration.ofSeconds(2))
                    .toCompletableFuture()
                    .join();
        } catch (CompletionException e) {
            return null;
        }
    }
}
