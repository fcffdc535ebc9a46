package io.troupe.runtime.internal.node;

import com.typesafe.config.Config;
import io.troupe.api.ConfigurationException;
import io.troupe.api.TroupeException;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.PendingApproval;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.RunSummary;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.Journal;
import io.troupe.runtime.NodeHealth;
import io.troupe.runtime.TroupeNode;
import io.troupe.runtime.internal.conversation.ConversationEntity;
import io.troupe.runtime.internal.conversation.RunUpdate;
import io.troupe.runtime.internal.plan.Planning;
import io.troupe.runtime.internal.registry.Registry;
import io.troupe.runtime.internal.state.Ids;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;
import org.jspecify.annotations.Nullable;

/**
 * A running Troupe node: an actor system in a cluster (of one, by default), the journal, and conversations sharded
 * across the cluster. Implements the {@link Troupe} facade. Thread-safe.
 */
public final class Node implements TroupeNode {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    /** Bootstrap waits for the required pods, which may still be scheduled or pulling their image. */
    private static final Duration BOOTSTRAP_TIMEOUT = Duration.ofMinutes(5);

    private static final String CLUSTER_BOOTSTRAP = "org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap";
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration LIVENESS_GRACE = Duration.ofSeconds(15);
    /** The longest single scheduler delay used; Pekko refuses more than about 248 days. */
    private static final Duration MAX_TIMER = Duration.ofDays(1);

    private final ActorSystem<Void> system;
    private final ClusterSharding sharding;
    private final Registry registry;
    private final @Nullable JournalGuard guard;
    private final RunIndex index;
    private final AtomicLong names = new AtomicLong();
    private final RunListeners listeners;
    private final ActorRef<RunUpdate> listenerRef;

    private Node(
            ActorSystem<Void> system,
            ClusterSharding sharding,
            Registry registry,
            Journal journal,
            @Nullable JournalGuard guard) {
        this.system = system;
        this.sharding = sharding;
        this.registry = registry;
        this.guard = guard;
        this.index = new RunIndex(system, journal, registry);
        this.listeners = new RunListeners(
                (conversationId, reason) -> entity(conversationId).tell(new ConversationEntity.Cancel(reason)));
        this.listenerRef = system.systemActorOf(listeners.behavior(), "troupe-runs", Props.empty());
    }

    /** Which unfinished runs a node resumes when it starts. */
    public enum Resume {
        /** Every unfinished run in a durable journal that this node has the models and tools for. */
        ALL,
        /** None: runs resume only when a node that resumes them starts, or when they are attached to. */
        NONE
    }

    /**
     * Starts a node: takes the journal (one process at a time), creates the actor system, joins the cluster
     * (itself, unless seed nodes or Cluster Bootstrap are configured), creates the journal schema, starts conversation sharding, and
     * resumes unfinished runs as {@code resume} says.
     *
     * @throws ConfigurationException if the journal is in use by another process or cannot be created
     */
    public static Node start(
            String systemName, Journal journal, String configOverrides, Registry registry, Resume resume) {
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
            joinCluster(system, config);
            if (journal instanceof Journal.Postgres) {
                PostgresSchema.createIfMissing(config);
            } else if (NodeConfig.usesJdbc(journal)) {
                await(SchemaUtils.createIfNotExists(system), "creating the journal schema");
            }
            ClusterSharding sharding = ClusterSharding.get(system);
            Planning planning = new Planning(registry);
            sharding.init(Entity.of(
                            ConversationEntity.TYPE_KEY,
                            entity -> ConversationEntity.create(entity, registry, planning))
                    .withStopMessage(new ConversationEntity.Stop()));
            Node node = new Node(system, sharding, registry, journal, guard);
            if (resume == Resume.ALL && journal.durable()) {
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

    private static void joinCluster(ActorSystem<Void> system, Config config) {
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
        List<String> seeds = config.getStringList("pekko.cluster.seed-nodes");
        // Pekko Management's Cluster Bootstrap, started through pekko.extensions, finds the other nodes (Kubernetes
        // API discovery, say) and joins them or forms the cluster; a self-join here would form a cluster of one.
        boolean bootstrap = config.getStringList("pekko.extensions").contains(CLUSTER_BOOTSTRAP);
        if (seeds.isEmpty() && !bootstrap) {
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
        }
        // A system that stops while joining (Bootstrap that cannot start, say) ends the wait at once.
        system.getWhenTerminated()
                .thenRun(() -> up.completeExceptionally(new IllegalStateException(
                        "the actor system stopped before the node joined; its log says why")));
        await(
                up,
                "joining the cluster"
                        + (bootstrap
                                ? " through Cluster Bootstrap (check discovery and that the other nodes are running)"
                                : seeds.isEmpty() ? "" : " through seed nodes " + seeds),
                bootstrap ? BOOTSTRAP_TIMEOUT : STARTUP_TIMEOUT);
    }

    /** Wakes every unfinished run this node can run; the others wait, untouched, for a node that can. */
    private void resumeUnfinished() {
        for (RunIndex.Entry entry : index.entries()) {
            if (!entry.isFinished() && registry.missing(entry.started.team()).isEmpty()) {
                entity(entry.conversationId).tell(new ConversationEntity.Resume());
            }
        }
    }

    @Override
    public RunHandle run(TeamSpec team, String task, Map<String, String> metadata) {
        RunHandle handle = submit(team, task, metadata);
        await(handle.started(), "journaling the start of run " + handle.conversationId());
        return handle;
    }

    @Override
    public RunHandle submit(TeamSpec team, String task, Map<String, String> metadata) {
        registry.requireRunnable(team);
        String conversationId = Ids.random();
        RunListeners.Listener handle = listeners.listen(
                conversationId, listener -> watch(listener, team.budget().maxWallTime()));
        entity(conversationId)
                .<ConversationEntity.Started>ask(
                        replyTo -> new ConversationEntity.Start(
                                team, task, Map.copyOf(metadata), null, listenerRef, replyTo),
                        ASK_TIMEOUT)
                .whenComplete((started, failure) -> {
                    if (started != null) {
                        handle.started(started.startedAt());
                    } else {
                        handle.failedToStart(new NodeException(
                                "Run " + conversationId + " could not be journaled within " + ASK_TIMEOUT.toSeconds()
                                        + " s: " + failure + ". Check that the journal is reachable.",
                                failure));
                    }
                });
        return handle;
    }

    @Override
    public RunHandle attach(String conversationId) {
        Transcript transcript = await(replay(conversationId), "reading run " + conversationId);
        if (!transcript.exists()) {
            throw new ConfigurationException("There is no run with id '" + conversationId + "' in this journal;"
                    + " check the id, and that the runtime uses the journal the run was started on");
        }
        JournalEvent.RunStarted started =
                (JournalEvent.RunStarted) transcript.events().getFirst();
        Duration left = Duration.between(registry.clock().instant(), started.startedAt())
                .plus(started.team().budget().maxWallTime());
        RunHandle handle = listeners.listen(conversationId, listener -> watch(listener, left));
        entity(conversationId).tell(new ConversationEntity.Subscribe(listenerRef));
        return handle;
    }

    @Override
    public CompletionStage<Transcript> replay(String conversationId) {
        CompletableFuture<Transcript> result = new CompletableFuture<>();
        system.systemActorOf(
                TranscriptReader.create(conversationId, result),
                "transcript-" + names.incrementAndGet(),
                Props.empty());
        return result.orTimeout(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public List<RunSummary> runs() {
        return index.summaries(id -> await(replay(id), "reading run " + id).usage());
    }

    @Override
    public List<PendingApproval> approvals() {
        return index.approvals();
    }

    @Override
    public void approve(String conversationId, String key, String by, String note) {
        decide(conversationId, key, true, by, note);
    }

    @Override
    public void deny(String conversationId, String key, String by, String note) {
        decide(conversationId, key, false, by, note);
    }

    private void decide(String conversationId, String key, boolean approved, String by, String note) {
        ConversationEntity.Decided decided = await(
                entity(conversationId)
                        .ask(replyTo -> new ConversationEntity.Decide(key, approved, by, note, replyTo), ASK_TIMEOUT),
                (approved ? "approving " : "denying ") + key + " in run " + conversationId);
        if (decided.problem() != null) {
            throw new ConfigurationException(decided.problem() + "; list what runs hold with Troupe.approvals()");
        }
    }

    @Override
    public NodeHealth health(Duration timeout) {
        return Health.read(system, this::replay, timeout);
    }

    @Override
    public String address() {
        return Cluster.get(system).selfMember().address().toString();
    }

    /** The node's actor system, for tests and for modules that add endpoints. */
    public ActorSystem<Void> system() {
        return system;
    }

    @Override
    public void close() {
        CoordinatedShutdown.get(system).run(CoordinatedShutdown.unknownReason());
        try {
            system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            system.terminate();
        } finally {
            registry.executor().shutdownNow();
            if (guard != null) {
                guard.close();
            }
        }
    }

    private EntityRef<ConversationEntity.Command> entity(String conversationId) {
        return sharding.entityRefFor(ConversationEntity.TYPE_KEY, conversationId);
    }

    /**
     * Makes sure a followed run ends: a run always ends by its wall-clock budget, so if this node has heard nothing
     * final shortly after that, the conversation entity was lost (a journal outage, say). Subscribing again
     * restarts it from the journal, and the restarted entity finishes the run; the check repeats until it has.
     */
    private void watch(RunListeners.Listener listener, Duration wallClockLeft) {
        Duration left = wallClockLeft.isNegative() ? Duration.ZERO : wallClockLeft;
        // Pekko's scheduler refuses delays over about 248 days: a distant wall clock is waited for in daily steps.
        boolean distant = left.compareTo(MAX_TIMER) > 0;
        Cancellable check = system.scheduler()
                .scheduleOnce(
                        distant ? MAX_TIMER : left.plus(LIVENESS_GRACE),
                        () -> {
                            if (listener.isDone()) {
                                return;
                            }
                            if (distant) {
                                watch(listener, left.minus(MAX_TIMER));
                            } else {
                                entity(listener.conversationId()).tell(new ConversationEntity.Subscribe(listenerRef));
                                watch(listener, Duration.ZERO);
                            }
                        },
                        system.executionContext());
        listener.onDone(check::cancel);
    }

    private static <T> T await(CompletionStage<T> stage, String what) {
        return await(stage, what, STARTUP_TIMEOUT);
    }

    private static <T> T await(CompletionStage<T> stage, String what, Duration timeout) {
        try {
            return stage.toCompletableFuture().get(timeout.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeException("Interrupted while " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TroupeException troupe) {
                throw troupe;
            }
            throw new NodeException("Failed while " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new NodeException("Timed out after " + timeout.toSeconds() + " s while " + what, e);
        }
    }

    /** The node could not start, reach its journal or hear from a run. */
    static final class NodeException extends TroupeException {
        private static final long serialVersionUID = 1L;

        NodeException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
