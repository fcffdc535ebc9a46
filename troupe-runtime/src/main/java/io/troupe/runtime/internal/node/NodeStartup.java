package io.troupe.runtime.internal.node;

import com.typesafe.config.Config;
import io.troupe.runtime.Journal;
import io.troupe.runtime.internal.conversation.ConversationEntity;
import io.troupe.runtime.internal.conversation.RateLimits;
import io.troupe.runtime.internal.conversation.RunUpdate;
import io.troupe.runtime.internal.plan.Planning;
import io.troupe.runtime.internal.registry.Registry;
import io.troupe.runtime.resilience.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;

/**
 * How a {@link Node} starts: it takes the journal, creates the actor system, joins the cluster, creates the journal
 * schema, starts conversation sharding with the listeners and rate limits the conversations use, and resumes the
 * unfinished runs. A start that fails stops the actor system and releases the journal. What the running node does is
 * {@link Node}'s.
 */
final class NodeStartup {
    /** Bootstrap waits for the required pods, which may still be scheduled or pulling their image. */
    private static final Duration BOOTSTRAP_TIMEOUT = Duration.ofMinutes(5);

    private NodeStartup() {}

    /** Starts a node as {@link Node#start} says. */
    static Node start(
            String systemName,
            Journal journal,
            String configOverrides,
            Registry registry,
            Map<String, RateLimit> rateLimits,
            Node.Resume resume,
            AdmissionLimits admission) {
        JournalGuard guard = JournalGuard.acquire(journal);
        Config config = NodeConfig.build(journal, configOverrides, Node.class.getClassLoader());
        ActorSystem<Void> system;
        try {
            system = ActorSystem.create(Behaviors.empty(), systemName, config);
        } catch (RuntimeException e) {
            if (guard != null) {
                guard.close();
            }
            throw e;
        }
        try {
            // Joining, creating the schema and starting sharding overlap: each mostly waits for messages between
            // the node's own actors (or for the database), and sharding's actors start while the node joins (its
            // regions register once the node is up).
            CompletableFuture<Void> up = joinCluster(system, config);
            CompletionStage<?> schema = CompletableFuture.completedFuture(null);
            if (journal instanceof Journal.Postgres) {
                PostgresSchema.createIfMissing(config);
            } else if (NodeConfig.usesJdbc(journal)) {
                schema = SchemaUtils.applyScript(NodeConfig.h2Schema(), system);
            }
            ClusterSharding sharding = ClusterSharding.get(system);
            RunListeners listeners = new RunListeners(
                    behavior -> system.systemActorOf(behavior, "troupe-runs", Props.empty()), new RunListeners.Runs() {
                        @Override
                        public void cancel(String conversationId, String reason) {
                            sharding.entityRefFor(ConversationEntity.TYPE_KEY, conversationId)
                                    .tell(new ConversationEntity.Cancel(reason));
                        }

                        @Override
                        public void subscribe(
                                String conversationId, ActorRef<RunUpdate> subscriber, boolean tokens, long from) {
                            sharding.entityRefFor(ConversationEntity.TYPE_KEY, conversationId)
                                    .tell(new ConversationEntity.Subscribe(subscriber, tokens, from));
                        }
                    });
            Planning planning = new Planning(registry);
            Map<String, RateLimit> registered = Map.copyOf(rateLimits);
            RateLimits limits = new RateLimits(
                    model -> {
                        RateLimit limit = registered.get(model);
                        return limit != null
                                ? limit
                                : registry.catalog().rateLimit(model).orElse(null);
                    },
                    ClusterRateLimiter.start(system));
            // Sharding that remembers its entities (a node of a cluster) starts a moved conversation without a
            // command, which must then recover by itself.
            boolean remembers = config.getBoolean("pekko.cluster.sharding.remember-entities");
            Instant startedAt = registry.clock().instant();
            sharding.init(Entity.of(
                            ConversationEntity.TYPE_KEY,
                            entity -> ConversationEntity.create(
                                    entity, registry, planning, listeners, limits, remembers, startedAt))
                    .withStopMessage(new ConversationEntity.Stop()));
            awaitJoined(up, config);
            Node.await(schema, "creating the journal schema");
            Node node = new Node(system, sharding, registry, journal, guard, listeners, admission);
            if (resume == Node.Resume.ALL && journal.durable()) {
                node.resumeUnfinished();
            }
            return node;
        } catch (RuntimeException e) {
            system.terminate();
            if (guard != null) {
                guard.close();
            }
            throw e;
        }
    }

    /** Joins the cluster (itself, without seed nodes or Cluster Bootstrap); completes once this node is up. */
    private static CompletableFuture<Void> joinCluster(ActorSystem<Void> system, Config config) {
        Cluster cluster = Cluster.get(system);
        CompletableFuture<Void> up = new CompletableFuture<>();
        Behavior<SelfUp> awaitUp = Behaviors.receive(SelfUp.class)
                .onMessage(SelfUp.class, selfUp -> {
                    up.complete(null);
                    return Behaviors.stopped();
                })
                .build();
        cluster.subscriptions()
                .tell(Subscribe.create(system.systemActorOf(awaitUp, "troupe-await-up", Props.empty()), SelfUp.class));
        // Pekko Management's Cluster Bootstrap, started through pekko.extensions, finds the other nodes (Kubernetes
        // API discovery, say) and joins them or forms the cluster; a self-join here would form a cluster of one.
        if (NodeConfig.joinsItself(config)) {
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
        }
        // A system that stops while joining (Bootstrap that cannot start, say) ends the wait at once.
        system.getWhenTerminated()
                .thenRun(() -> up.completeExceptionally(new IllegalStateException(
                        "the actor system stopped before the node joined; its log says why")));
        return up;
    }

    /** Waits until this node is up in its cluster: long enough for Cluster Bootstrap to find the other pods. */
    private static void awaitJoined(CompletableFuture<Void> up, Config config) {
        List<String> seeds = config.getStringList("pekko.cluster.seed-nodes");
        boolean bootstrap = config.getStringList("pekko.extensions").contains(NodeConfig.CLUSTER_BOOTSTRAP);
        Node.await(
                up,
                "joining the cluster"
                        + (bootstrap
                                ? " through Cluster Bootstrap (check discovery and that the other nodes are running)"
                                : seeds.isEmpty() ? "" : " through seed nodes " + seeds),
                bootstrap ? BOOTSTRAP_TIMEOUT : Node.STARTUP_TIMEOUT);
    }
}
