package io.troupe.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/**
 * Messages per second through Cluster Sharding, on one node and on three, and the latency a cross-node hop adds:
 * asks to sharded echo entities, serialized as Troupe's messages are (Jackson CBOR) and carried by Artery TCP on
 * loopback, with Troupe's Pekko defaults. The three nodes are three actor systems in one JVM, sharing its cores.
 *
 * <p>Arguments: {@code [seconds] [in flight]}; defaults {@code 10 256}. Entities are plain actors: this measures
 * sharding and remoting, not the journal.
 */
public final class ShardingBench {
    private static final EntityTypeKey<Ping> ECHO = EntityTypeKey.create(Ping.class, "Echo");
    private static final int ENTITIES = 1000;

    private ShardingBench() {}

    /** Marker of the messages, bound to Jackson CBOR as Troupe's messages are. */
    public interface Wire {}

    /** An ask to an entity. */
    public record Ping(long n, ActorRef<Pong> replyTo) implements Wire {}

    /** An entity's answer, with the address of the node it lives on. */
    public record Pong(long n, String node) implements Wire {}

    public static void main(String[] args) throws Exception {
        Duration measured = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 10);
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 256;

        List<ActorSystem<Void>> one = start(1);
        try {
            EntityRef<Ping>[] refs = refs(one.getFirst());
            throughput(refs, Duration.ofSeconds(3), inFlight, "warm-up");
            double rate = throughput(refs, measured, inFlight, null);
            Figures.print("asks/s through sharding, 1 node, " + inFlight + " in flight", rate, "asks/s", "");
            double[] local = latencies(refs, one.getFirst(), true, 2000);
            Figures.print(
                    "ask latency, 1 node, one at a time", median(local), "µs", "p99 " + (long) p99(local) + " µs");
        } finally {
            stop(one);
        }

        List<ActorSystem<Void>> three = start(3);
        try {
            EntityRef<Ping>[] refs = refs(three.getFirst());
            throughput(refs, Duration.ofSeconds(5), inFlight, "warm-up");
            double rate = throughput(refs, measured, inFlight, null);
            Figures.print(
                    "asks/s through sharding, 3 nodes, from one, " + inFlight + " in flight",
                    rate,
                    "asks/s",
                    "2 of 3 entities on other nodes");
            double[] local = latencies(refs, three.getFirst(), true, 2000);
            double[] remote = latencies(refs, three.getFirst(), false, 2000);
            Figures.print(
                    "ask latency, 3 nodes, entity on the asking node",
                    median(local),
                    "µs",
                    "p99 " + (long) p99(local) + " µs");
            Figures.print(
                    "ask latency, 3 nodes, entity on another node",
                    median(remote),
                    "µs",
                    "p99 " + (long) p99(remote) + " µs");
            Figures.print(
                    "latency added per cross-node hop",
                    (median(remote) - median(local)) / 2,
                    "µs",
                    "an ask to another node is two hops: there and back");
        } finally {
            stop(three);
        }
    }

    private static double throughput(EntityRef<Ping>[] refs, Duration duration, int inFlight, String label)
            throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        long n = 0;
        while (System.nanoTime() < end) {
            slots.acquire();
            EntityRef<Ping> ref = refs[(int) (n % refs.length)];
            long id = n++;
            ref.<Pong>ask(replyTo -> new Ping(id, replyTo), Duration.ofSeconds(10))
                    .whenComplete((pong, failure) -> {
                        (failure == null ? done : failed).incrementAndGet();
                        slots.release();
                    });
        }
        slots.acquire(inFlight);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (label != null) {
            Figures.info(label + ": " + done.get() + " asks in " + String.format("%.1f", seconds) + " s");
        }
        if (failed.get() > 0) {
            Figures.info(failed.get() + " asks failed");
        }
        return done.get() / seconds;
    }

    /** Sequential ask latencies in µs to entities that live on {@code self} ({@code local}) or elsewhere. */
    private static double[] latencies(EntityRef<Ping>[] refs, ActorSystem<Void> self, boolean local, int count)
            throws Exception {
        String here = Cluster.get(self).selfMember().address().toString();
        List<EntityRef<Ping>> chosen = new ArrayList<>();
        for (EntityRef<Ping> ref : refs) {
            Pong pong = ask(ref, 0).toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (pong.node().equals(here) == local) {
                chosen.add(ref);
            }
            if (chosen.size() == 50) {
                break;
            }
        }
        double[] micros = new double[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            ask(chosen.get(i % chosen.size()), i).toCompletableFuture().get(10, TimeUnit.SECONDS);
            micros[i] = (System.nanoTime() - start) / 1e3;
        }
        Arrays.sort(micros);
        return micros;
    }

    private static CompletionStage<Pong> ask(EntityRef<Ping> ref, long n) {
        return ref.ask(replyTo -> new Ping(n, replyTo), Duration.ofSeconds(10));
    }

    private static double median(double[] sorted) {
        return sorted[sorted.length / 2];
    }

    private static double p99(double[] sorted) {
        return sorted[(int) (sorted.length * 0.99)];
    }

    @SuppressWarnings("unchecked")
    private static EntityRef<Ping>[] refs(ActorSystem<Void> system) {
        EntityRef<Ping>[] refs = new EntityRef[ENTITIES];
        for (int i = 0; i < ENTITIES; i++) {
            refs[i] = ClusterSharding.get(system).entityRefFor(ECHO, "e" + i);
        }
        return refs;
    }

    private static List<ActorSystem<Void>> start(int nodes) throws Exception {
        int[] ports = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            ports[i] = freePort();
        }
        List<ActorSystem<Void>> systems = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            Config config = ConfigFactory.parseString("""
                            pekko.remote.artery.canonical.port = %d
                            pekko.cluster.seed-nodes = ["pekko://bench@127.0.0.1:%d"]
                            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                            pekko.loglevel = WARNING
                            pekko.actor.serialization-bindings {
                              "io.troupe.bench.ShardingBench$Wire" = jackson-cbor
                            }
                            """.formatted(ports[i], ports[0]))
                    .withFallback(ConfigFactory.parseResources("troupe-defaults.conf"))
                    .withFallback(ConfigFactory.load())
                    .resolve();
            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench", config);
            if (i == 0) {
                Cluster.get(system)
                        .manager()
                        .tell(Join.create(Cluster.get(system).selfMember().address()));
            }
            String address = Cluster.get(system).selfMember().address().toString();
            ClusterSharding.get(system).init(Entity.of(ECHO, context -> echo(address)));
            systems.add(system);
        }
        long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        for (ActorSystem<Void> system : systems) {
            while (Cluster.get(system).selfMember().status() != MemberStatus.up()) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("the cluster did not form within 2 minutes");
                }
                Thread.sleep(100); // waiting for membership, which has no blocking call
            }
        }
        // Allocate every shard before measuring.
        List<CompletableFuture<Pong>> first = new ArrayList<>();
        for (EntityRef<Ping> ref : refs(systems.getFirst())) {
            first.add(ask(ref, 0).toCompletableFuture());
        }
        CompletableFuture.allOf(first.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        return systems;
    }

    private static Behavior<Ping> echo(String node) {
        return Behaviors.receive(Ping.class)
                .onMessage(Ping.class, ping -> {
                    ping.replyTo().tell(new Pong(ping.n(), node));
                    return Behaviors.same();
                })
                .build();
    }

    private static void stop(List<ActorSystem<Void>> systems) {
        for (ActorSystem<Void> system : systems) {
            system.terminate();
        }
        for (ActorSystem<Void> system : systems) {
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("could not stop " + system.name() + ": " + e);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
