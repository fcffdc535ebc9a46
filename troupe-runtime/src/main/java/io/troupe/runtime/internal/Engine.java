package io.troupe.runtime.internal;

import com.typesafe.config.Config;
import io.troupe.api.ConfigurationException;
import io.troupe.api.TroupeException;
import io.troupe.api.event.JournalEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.Journal;
import java.time.Duration;
import java.util.List;
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

/**
 * A running Troupe node: an actor system in a cluster (of one, by default), the journal, and conversations sharded
 * across the cluster. Implements the {@link Troupe} facade. Thread-safe.
 */
public final class Engine implements Troupe {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REPLAY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration LIVENESS_GRACE = Duration.ofSeconds(15);
    /** The longest single scheduler delay used; Pekko refuses more than about 248 days. */
    private static final Duration MAX_TIMER = Duration.ofDays(1);

    private final ActorSystem<Void> system;
    private final ClusterSharding sharding;
    private final Components components;
    private final AtomicLong names = new AtomicLong();
    private final RunListeners listeners = new RunListeners();
    private final ActorRef<RunUpdate> listenerRef;

    private Engine(ActorSystem<Void> system, ClusterSharding sharding, Components components) {
        this.system = system;
        this.sharding = sharding;
        this.components = components;
        this.listenerRef = system.systemActorOf(listeners.behavior(), "troupe-runs", Props.empty());
    }

    /**
     * Starts a node: creates the actor system, joins the cluster (itself, unless seed nodes are configured),
     * creates the journal schema, and starts conversation sharding, which resumes unfinished runs in a durable
     * journal.
     */
    public static Engine start(String systemName, Journal journal, String configOverrides, Components components) {
        Config config = EngineConfig.build(journal, configOverrides, Engine.class.getClassLoader());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), systemName, config);
        try {
            joinCluster(system, config);
            if (EngineConfig.usesJdbc(journal)) {
                await(SchemaUtils.createIfNotExists(system), "creating the journal schema");
            }
            ClusterSharding sharding = ClusterSharding.get(system);
            sharding.init(
                    Entity.of(ConversationEntity.TYPE_KEY, entity -> ConversationEntity.create(entity, components))
                            .withStopMessage(new ConversationEntity.Stop()));
            return new Engine(system, sharding, components);
        } catch (RuntimeException e) {
            system.terminate();
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
        if (seeds.isEmpty()) {
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
        }
        await(up, "joining the cluster" + (seeds.isEmpty() ? "" : " through seed nodes " + seeds));
    }

    @Override
    public RunHandle run(TeamSpec team, String task) {
        components.requireRunnable(team);
        String conversationId = Ids.random();
        RunHandle handle = listeners.listen(
                conversationId, listener -> watch(listener, team.budget().maxWallTime()));
        entity(conversationId).tell(new ConversationEntity.Start(team, task, listenerRef));
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
        Duration left = Duration.between(components.clock().instant(), started.startedAt())
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
        return result.orTimeout(REPLAY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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
            components.toolExecutor().shutdown();
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
        try {
            return stage.toCompletableFuture().get(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException("Interrupted while " + what, e);
        } catch (ExecutionException e) {
            throw new EngineException("Failed while " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new EngineException("Timed out after " + STARTUP_TIMEOUT.toSeconds() + " s while " + what, e);
        }
    }

    /** The engine could not start or reach its journal. */
    static final class EngineException extends TroupeException {
        private static final long serialVersionUID = 1L;

        EngineException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
