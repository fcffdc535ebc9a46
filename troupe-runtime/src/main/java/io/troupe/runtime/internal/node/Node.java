package io.troupe.runtime.internal.node;

import io.troupe.api.Checks;
import io.troupe.api.ConfigurationException;
import io.troupe.api.TroupeException;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.OverloadedException;
import io.troupe.api.run.PendingApproval;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.RunSummary;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.ClusterStatus;
import io.troupe.runtime.Journal;
import io.troupe.runtime.NodeHealth;
import io.troupe.runtime.TroupeNode;
import io.troupe.runtime.internal.conversation.ConversationEntity;
import io.troupe.runtime.internal.conversation.RunUpdate;
import io.troupe.runtime.internal.registry.Registry;
import io.troupe.runtime.internal.state.Ids;
import io.troupe.runtime.resilience.RateLimit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.jspecify.annotations.Nullable;

/**
 * A running Troupe node: an actor system in a cluster (of one, by default), the journal, and conversations sharded
 * across the cluster. Implements the {@link Troupe} facade. Thread-safe. {@link NodeStartup} starts it, and its
 * {@link LivenessSweep} makes sure that the runs it follows end.
 */
public final class Node implements TroupeNode {
    /** The longest wait for a step of start-up, or for what a call of the facade waits on. */
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(60);

    private final ActorSystem<Void> system;
    private final ClusterSharding sharding;
    private final Registry registry;
    private final @Nullable JournalGuard guard;
    private final RunIndex index;
    private final AtomicLong names = new AtomicLong();
    private final RunListeners listeners;
    private final ActorRef<RunUpdate> listenerRef;
    private final Admission admission;

    Node(
            ActorSystem<Void> system,
            ClusterSharding sharding,
            Registry registry,
            Journal journal,
            @Nullable JournalGuard guard,
            RunListeners listeners,
            AdmissionLimits admission) {
        this.system = system;
        this.sharding = sharding;
        this.registry = registry;
        this.guard = guard;
        this.index = new RunIndex(system, journal, registry);
        this.listeners = listeners;
        this.listenerRef = listeners.ref();
        this.admission =
                new Admission(admission.maxRunsInFlight(), admission.maxQueuedRuns(), admission.maxQueueWait(), system);
        // Members that leave or crash take their conversations with them: the listeners subscribe again at once.
        Cluster.get(system)
                .subscriptions()
                .tell(Subscribe.create(listeners.actor().narrow(), ClusterEvent.MemberEvent.class));
        LivenessSweep.start(system, listeners, this::resubscribe);
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
     * resumes unfinished runs as {@code resume} says. {@link NodeStartup} has the steps.
     *
     * @throws io.troupe.runtime.JournalInUseException if the journal is in use by another process
     * @throws ConfigurationException if the journal cannot be created
     */
    public static Node start(
            String systemName,
            Journal journal,
            String configOverrides,
            Registry registry,
            Map<String, RateLimit> rateLimits,
            Resume resume,
            AdmissionLimits admission) {
        return NodeStartup.start(systemName, journal, configOverrides, registry, rateLimits, resume, admission);
    }

    /** Wakes every unfinished run this node can run; the others wait, untouched, for a node that can. */
    void resumeUnfinished() {
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
        return start(team, task, metadata, null);
    }

    @Override
    public RunHandle submit(
            TeamSpec team, String task, Map<String, String> metadata, Flow.Subscriber<? super RunEvent> subscriber) {
        return start(team, task, metadata, Checks.notNull(subscriber, "subscriber"));
    }

    private RunHandle start(
            TeamSpec team,
            String task,
            Map<String, String> metadata,
            Flow.@Nullable Subscriber<? super RunEvent> subscriber) {
        registry.requireRunnable(team);
        String conversationId = Ids.random();
        RunListeners.Listener handle = listeners.listen(conversationId, listener -> {});
        if (subscriber != null) {
            handle.events().subscribe(subscriber); // before the run starts: it gets the first call's tokens too
        }
        Map<String, String> kept = Map.copyOf(metadata);
        try {
            admission.admit(conversationId, new Admission.Start() {
                @Override
                public void admitted() {
                    AtomicBoolean released = new AtomicBoolean();
                    Runnable release = () -> {
                        if (released.compareAndSet(false, true)) {
                            admission.release();
                        }
                    };
                    handle.onDone(release);
                    long now = System.nanoTime();
                    handle.watch(
                            LivenessSweep.startDeadline(now),
                            release,
                            LivenessSweep.checkAt(now, team.budget().maxWallTime()));
                    // No ask: the run's RunStarted reaches the handle as its first event, and the liveness sweep
                    // fails the start if it never comes. The id is new (random), so the entity need not recover.
                    entity(conversationId)
                            .tell(new ConversationEntity.Start(team, task, kept, null, listenerRef, true, true, null));
                }

                @Override
                public void refused(OverloadedException reason) {
                    listeners.forget(handle);
                    handle.failedToStart(reason);
                }
            });
        } catch (OverloadedException e) {
            listeners.forget(handle);
            throw e;
        }
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
        RunListeners.Listener handle = listeners.listen(
                conversationId,
                listener -> listener.watch(0, () -> {}, LivenessSweep.checkAt(System.nanoTime(), left)));
        // The run is journaled, so its listener is started: should the subscription below be lost with a node that
        // crashes, the listener subscribes again (a listener not started yet waits for its start instead).
        handle.started(started.startedAt());
        resubscribe(conversationId);
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
        return runs(run -> true, Integer.MAX_VALUE);
    }

    @Override
    public List<RunSummary> runs(java.util.function.Predicate<RunSummary> where, int limit) {
        return index.summaries(
                where, limit, id -> await(replay(id), "reading run " + id).usage());
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

    @Override
    public CompletionStage<ClusterStatus> clusterStatus(Duration timeout) {
        return ClusterView.read(system, timeout);
    }

    @Override
    public CompletionStage<String> stopped() {
        return system.getWhenTerminated()
                .thenApply(done -> CoordinatedShutdown.get(system)
                        .getShutdownReason()
                        .map(Node::describe)
                        .orElse("the node stopped"));
    }

    private static String describe(CoordinatedShutdown.Reason reason) {
        if (reason instanceof CoordinatedShutdown.ClusterDowningReason$) {
            return "the node was downed: the split-brain resolver or an operator removed it from the cluster (a node"
                    + " cut off from the majority downs itself); start it again to rejoin";
        }
        if (reason instanceof CoordinatedShutdown.ClusterLeavingReason$) {
            return "the node left the cluster";
        }
        if (reason instanceof CoordinatedShutdown.ClusterJoinUnsuccessfulReason$) {
            return "the node could not join the cluster through its seed nodes; check that they run and are reachable";
        }
        if (reason instanceof CoordinatedShutdown.IncompatibleConfigurationDetectedReason$) {
            return "the node's configuration is incompatible with the cluster it joined";
        }
        return "the node was closed";
    }

    /** The node's actor system, for tests and for modules that add endpoints. */
    public ActorSystem<Void> system() {
        return system;
    }

    @Override
    public void close() {
        // A node alone in its cluster leaves at its own next leader action, due up to a second later (the one-node
        // configuration's interval); its periodic tasks can run at once instead, as no other node takes part.
        if (alone() && system.classicSystem().scheduler() instanceof QuietScheduler scheduler) {
            scheduler.hurry();
        }
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

    /** Whether this node is the only member of its cluster. */
    private boolean alone() {
        Cluster cluster = Cluster.get(system);
        for (Member member : cluster.state().getMembers()) {
            if (!member.uniqueAddress().equals(cluster.selfMember().uniqueAddress())) {
                return false;
            }
        }
        return true;
    }

    private EntityRef<ConversationEntity.Command> entity(String conversationId) {
        return sharding.entityRefFor(ConversationEntity.TYPE_KEY, conversationId);
    }

    /** Subscribes this node's listeners to run {@code conversationId} (again), with its streamed tokens. */
    private void resubscribe(String conversationId) {
        entity(conversationId).tell(new ConversationEntity.Subscribe(listenerRef, true));
    }

    static <T> T await(CompletionStage<T> stage, String what) {
        return await(stage, what, STARTUP_TIMEOUT);
    }

    static <T> T await(CompletionStage<T> stage, String what, Duration timeout) {
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

        NodeException(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }
}
