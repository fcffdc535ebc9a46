package io.troupe.runtime.internal.node;

import io.troupe.api.run.Transcript;
import io.troupe.runtime.NodeHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.jspecify.annotations.Nullable;

/** Reads a node's health: its cluster membership, as the node sees it, and a read of the journal. */
final class Health {
    private Health() {}

    /** The id whose journal the probe reads: no run has it, so the read finds nothing and changes nothing. */
    static final String PROBE_ID = "troupe-health-probe";

    static NodeHealth read(
            ActorSystem<Void> system, Function<String, CompletionStage<Transcript>> replay, Duration timeout) {
        boolean terminated = system.whenTerminated().isCompleted();
        Cluster cluster = Cluster.get(system);
        String address = cluster.selfMember().address().toString();
        String status = terminated ? "removed" : status(cluster.selfMember().status());
        List<NodeHealth.Member> members = new ArrayList<>();
        if (!terminated) {
            ClusterEvent.CurrentClusterState state = cluster.state();
            Set<Member> unreachable = state.getUnreachable();
            for (Member member : state.getMembers()) {
                members.add(new NodeHealth.Member(
                        member.address().toString(),
                        status(member.status()),
                        member.getRoles(),
                        !unreachable.contains(member)));
            }
        }
        long start = System.nanoTime();
        String problem = terminated ? "the node has stopped" : probe(replay, timeout);
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        return new NodeHealth(address, status, members, problem, latency, terminated);
    }

    private static @Nullable String probe(Function<String, CompletionStage<Transcript>> replay, Duration timeout) {
        try {
            replay.apply(PROBE_ID).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while reading the journal";
        } catch (TimeoutException e) {
            return "the journal did not answer within " + timeout.toMillis() + " ms";
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return "the journal failed: " + cause;
        }
    }

    static String status(MemberStatus status) {
        return status.toString().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
