package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a node says of its cluster: members, their state and the conversations each holds. */
class ClusterStatusTest {
    @Test
    void clusterStatus_aFreshNodeOfOne_reportsItselfUpWithNoConversations_andNoProblem() throws Exception {
        try (TroupeNode node =
                TroupeRuntime.builder().journal(Journal.inMemory()).start()) {
            // Asked at once: the node's region has not necessarily found the shard coordinator yet.
            ClusterStatus status = node.clusterStatus(Duration.ofSeconds(2))
                    .toCompletableFuture()
                    .get();

            assertThat(status.problem()).isNull();
            assertThat(status.members()).singleElement().satisfies(member -> {
                assertThat(member.address()).isEqualTo(status.self());
                assertThat(member.status()).isEqualTo("up");
                assertThat(member.shards()).isZero();
                assertThat(member.conversations()).isZero();
            });
        }
    }
}
