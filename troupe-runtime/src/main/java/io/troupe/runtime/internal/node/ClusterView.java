package io.troupe.runtime.internal.node;

import io.troupe.runtime.ClusterStatus;
import io.troupe.runtime.internal.conversation.ConversationEntity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.jspecify.annotations.Nullable;

/** Reads a {@link ClusterStatus}: membership from this node's view, conversations from every shard region. */
final class ClusterView {
    private ClusterView() {}

    static CompletionStage<ClusterStatus> read(ActorSystem<Void> system, Duration timeout) {
        Cluster cluster = Cluster.get(system);
        String self = cluster.selfMember().address().toString();
        if (system.whenTerminated().isCompleted()) {
            return CompletableFuture.completedFuture(
                    new ClusterStatus(self, null, List.of(), "the node has stopped: it knows no members any more"));
        }
        ClusterEvent.CurrentClusterState state = cluster.state();
        CompletionStage<ShardRegion.ClusterShardingStats> stats = AskPattern.ask(
                ClusterSharding.get(system).shardState(),
                replyTo -> new GetClusterShardingStats(ConversationEntity.TYPE_KEY, timeout, replyTo),
                timeout.plusSeconds(1),
                system.scheduler());
        return stats.toCompletableFuture()
                .completeOnTimeout(null, timeout.toMillis() + 2000, TimeUnit.MILLISECONDS)
                .exceptionally(failure -> null)
                .thenApply(answer -> status(self, state, answer));
    }

    private static ClusterStatus status(
            String self, ClusterEvent.CurrentClusterState state, ShardRegion.@Nullable ClusterShardingStats stats) {
        Map<Address, ShardRegion.ShardRegionStats> regions = stats == null ? Map.of() : stats.getRegions();
        Set<Member> unreachable = state.getUnreachable();
        List<Member> members = new ArrayList<>();
        state.getMembers().forEach(members::add);
        members.sort(Member.ageOrdering()::compare);
        boolean unknown = regions.isEmpty() && !members.isEmpty();
        List<ClusterStatus.Member> out = new ArrayList<>();
        for (Member member : members) {
            ShardRegion.ShardRegionStats region = regions.get(member.address());
            int shards = unknown ? -1 : region == null ? 0 : region.getStats().size();
            int conversations = unknown
                    ? -1
                    : region == null
                            ? 0
                            : region.getStats().values().stream()
                                    .mapToInt(count -> ((Number) (Object) count).intValue())
                                    .sum();
            out.add(new ClusterStatus.Member(
                    member.address().toString(),
                    Health.status(member.status()),
                    member.getRoles(),
                    !unreachable.contains(member),
                    shards,
                    conversations));
        }
        Address leader = state.getLeader();
        return new ClusterStatus(
                self,
                leader == null ? null : leader.toString(),
                out,
                unknown
                        ? "a member did not report its conversations in time (unreachable, joining or leaving);"
                                + " ask again"
                        : null);
    }
}
