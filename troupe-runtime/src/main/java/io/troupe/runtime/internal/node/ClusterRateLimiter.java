package io.troupe.runtime.internal.node;

import io.troupe.runtime.internal.conversation.RateLimiter;
import io.troupe.runtime.resilience.RateLimit;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * The {@link RateLimiter} of a node: asks the cluster's {@link RateLimitCoordinator}, a singleton on the oldest node,
 * before each limited call, and waits (on the scheduler, no thread held) as long as it says. While the coordinator
 * cannot be reached (it is moving to another node) calls wait and ask again: limits fail closed.
 */
final class ClusterRateLimiter implements RateLimiter {
    private static final Duration ASK = Duration.ofSeconds(3);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final ActorSystem<?> system;
    private final ActorRef<RateLimitCoordinator.Command> coordinator;

    private ClusterRateLimiter(ActorSystem<?> system, ActorRef<RateLimitCoordinator.Command> coordinator) {
        this.system = system;
        this.coordinator = coordinator;
    }

    /** Starts the coordinator's singleton manager on this node (every node must) and a limiter that asks it. */
    static ClusterRateLimiter start(ActorSystem<?> system) {
        ActorRef<RateLimitCoordinator.Command> proxy = ClusterSingleton.get(system)
                .init(SingletonActor.of(
                        Behaviors.supervise(RateLimitCoordinator.create(System::nanoTime))
                                .onFailure(SupervisorStrategy.restart()),
                        "troupe-rate-limits"));
        return new ClusterRateLimiter(system, proxy);
    }

    @Override
    public CompletionStage<Void> acquire(RateLimit limit, long tokens) {
        CompletableFuture<Void> admitted = new CompletableFuture<>();
        ask(limit, Math.max(0, tokens), admitted);
        return admitted;
    }

    private void ask(RateLimit limit, long tokens, CompletableFuture<Void> admitted) {
        if (admitted.isDone() || system.whenTerminated().isCompleted()) {
            return;
        }
        AskPattern.<RateLimitCoordinator.Command, RateLimitCoordinator.Answer>ask(
                        coordinator,
                        replyTo -> new RateLimitCoordinator.Acquire(limit, tokens, replyTo),
                        ASK,
                        system.scheduler())
                .whenComplete((answer, failure) -> {
                    if (answer != null && answer.waitMillis() == 0) {
                        admitted.complete(null);
                        return;
                    }
                    // Wait as told (with a little jitter, so that waiting calls do not all ask at once), or retry.
                    Duration wait = answer != null
                            ? Duration.ofMillis(answer.waitMillis()
                                    + ThreadLocalRandom.current().nextLong(1 + answer.waitMillis() / 10))
                            : RETRY;
                    system.scheduler()
                            .scheduleOnce(wait, () -> ask(limit, tokens, admitted), system.executionContext());
                });
    }

    @Override
    public void settle(RateLimit limit, long tokens) {
        if (tokens != 0) {
            coordinator.tell(new RateLimitCoordinator.Settle(limit, tokens));
        }
    }
}
