package io.troupe.runtime.internal.node;

import io.troupe.runtime.ClusterStatus;
import io.troupe.runtime.internal.conversation.ConversationEntity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
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
        // This node's own region answers for itself even before it has found the shard coordinator (a fresh node),
        // when the cluster-wide statistics come back empty.
        CompletionStage<ShardRegion.CurrentShardRegionState> local = AskPattern.ask(
                ClusterSharding.get(system).shardState(),
                replyTo -> new GetShardRegionState(ConversationEntity.TYPE_KEY, replyTo),
                timeout,
                system.scheduler());
        CompletableFuture<ShardRegion.@Nullable ClusterShardingStats> all = stats.toCompletableFuture()
                .completeOnTimeout(null, timeout.toMillis() + 2000, TimeUnit.MILLISECONDS)
                .exceptionally(failure -> null);
        CompletableFuture<ShardRegion.@Nullable CurrentShardRegionState> own = local.toCompletableFuture()
                .completeOnTimeout(null, timeout.toMillis() + 2000, TimeUnit.MILLISECONDS)
                .exceptionally(failure -> null);
        Address selfAddress = cluster.selfMember().address();
        Member selfMember = cluster.selfMember();
        return all.thenCombine(
                own, (answer, mine) -> status(self, selfMember, state, regions(answer, selfAddress, mine)));
    }

    /**
     * The conversations of each shard, by the address of the node whose region holds it: every region's, or at least
     * this node's own.
     */
    private static Map<Address, Map<String, Integer>> regions(
            ShardRegion.@Nullable ClusterShardingStats stats,
            Address self,
            ShardRegion.@Nullable CurrentShardRegionState own) {
        Map<Address, Map<String, Integer>> regions = new HashMap<>();
        if (stats != null) {
            stats.getRegions().forEach((address, region) -> {
                Map<String, Integer> counts = new HashMap<>();
                region.getStats().forEach((shard, count) -> counts.put(shard, ((Number) (Object) count).intValue()));
                regions.put(address, counts);
            });
        }
        if (!regions.containsKey(self) && own != null) {
            Map<String, Integer> counts = new HashMap<>();
            own.getShards()
                    .forEach(shard ->
                            counts.put(shard.shardId(), shard.getEntityIds().size()));
            regions.put(self, counts);
        }
        return regions;
    }

    private static ClusterStatus status(
            String self,
            Member selfMember,
            ClusterEvent.CurrentClusterState state,
            Map<Address, Map<String, Integer>> regions) {
        Set<Member> unreachable = state.getUnreachable();
        List<Member> members = new ArrayList<>();
        state.getMembers().forEach(members::add);
        // The state is a view that follows gossip a moment behind; the node itself is always known.
        if (members.stream().noneMatch(member -> member.uniqueAddress().equals(selfMember.uniqueAddress()))) {
            members.add(selfMember);
        }
        members.sort(Member.ageOrdering()::compare);
        boolean unknown = members.stream().anyMatch(member -> !regions.containsKey(member.address()));
        List<ClusterStatus.Member> out = new ArrayList<>();
        for (Member member : members) {
            Map<String, Integer> region = regions.get(member.address());
            int shards = region == null ? -1 : region.size();
            int conversations = region == null
                    ? -1
                    : region.values().stream().mapToInt(Integer::intValue).sum();
            out.add(new ClusterStatus.Member(
                    member.address().toString(),
                    Health.status(member.status()),
                    member.getRoles(),
                    !unreachable.contains(member),
                    shards,
                    conversations));
        }
        Address leader = state.getLeader();
        if (leader == null && members.size() == 1) {
            leader = selfMember.address(); // a cluster of one leads itself
        }
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
