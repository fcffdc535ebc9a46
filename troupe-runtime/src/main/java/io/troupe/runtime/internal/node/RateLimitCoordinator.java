package io.troupe.runtime.internal.node;

import io.troupe.runtime.internal.conversation.TroupeSerializable;
import io.troupe.runtime.resilience.RateLimit;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The cluster's rate limits, kept by one actor (a cluster singleton): a token bucket per limit name for requests and
 * one for tokens, each holding a minute's worth and refilling continuously. Nodes ask before each call and are told
 * to go, or how long to wait. The buckets live in memory only: a coordinator that moves starts with full buckets.
 */
final class RateLimitCoordinator {
    private RateLimitCoordinator() {}

    /** What the coordinator is told. */
    sealed interface Command extends TroupeSerializable permits Acquire, Settle {}

    /** Asks to make a call of about {@code tokens} tokens under {@code limit}. */
    record Acquire(RateLimit limit, long tokens, ActorRef<Answer> replyTo) implements Command {}

    /** Corrects the tokens charged for a finished call. */
    record Settle(RateLimit limit, long tokens) implements Command {}

    /** The answer to {@link Acquire}: go now (0), or ask again after {@code waitMillis}. */
    record Answer(long waitMillis) implements TroupeSerializable {}

    static Behavior<Command> create(LongSupplier nanoTime) {
        return Behaviors.setup(context -> {
            Map<String, Buckets> buckets = new HashMap<>();
            return Behaviors.receive(Command.class)
                    .onMessage(Acquire.class, acquire -> {
                        Buckets limit = buckets.computeIfAbsent(
                                acquire.limit().name(), name -> new Buckets(acquire.limit(), nanoTime.getAsLong()));
                        limit.reshape(acquire.limit());
                        acquire.replyTo().tell(new Answer(limit.acquire(acquire.tokens(), nanoTime.getAsLong())));
                        return Behaviors.same();
                    })
                    .onMessage(Settle.class, settle -> {
                        Buckets limit = buckets.get(settle.limit().name());
                        if (limit != null) {
                            limit.settle(settle.tokens(), nanoTime.getAsLong());
                        }
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    /** The two buckets of one limit. Levels may go below zero when calls use more tokens than estimated. */
    static final class Buckets {
        private static final double NANOS_PER_MINUTE = 60e9;

        private RateLimit limit;
        private double requests;
        private double tokens;
        private long refilledAt;

        Buckets(RateLimit limit, long now) {
            this.limit = limit;
            this.requests = limit.requestsPerMinute();
            this.tokens = limit.tokensPerMinute();
            this.refilledAt = now;
        }

        /** Adopts the numbers last declared for this limit, keeping what is left (capped at the new size). */
        void reshape(RateLimit declared) {
            if (!declared.equals(limit)) {
                limit = declared;
                requests = Math.min(requests, declared.requestsPerMinute());
                tokens = Math.min(tokens, declared.tokensPerMinute());
            }
        }

        /** Takes one request and {@code estimate} tokens if both buckets have them: 0; else the wait in ms. */
        long acquire(long estimate, long now) {
            refill(now);
            // A call larger than a whole minute's tokens waits for a full bucket, then goes.
            double needed = Math.min(estimate, limit.tokensPerMinute());
            double requestWait =
                    limit.requestsPerMinute() == 0 || requests >= 1 ? 0 : (1 - requests) / limit.requestsPerMinute();
            double tokenWait =
                    limit.tokensPerMinute() == 0 || tokens >= needed ? 0 : (needed - tokens) / limit.tokensPerMinute();
            double waitMinutes = Math.max(requestWait, tokenWait);
            if (waitMinutes > 0) {
                return Math.max(1, (long) Math.ceil(waitMinutes * 60_000));
            }
            if (limit.requestsPerMinute() > 0) {
                requests -= 1;
            }
            if (limit.tokensPerMinute() > 0) {
                tokens -= estimate;
            }
            return 0;
        }

        void settle(long difference, long now) {
            refill(now);
            if (limit.tokensPerMinute() > 0) {
                tokens = Math.min(tokens - difference, limit.tokensPerMinute());
            }
        }

        private void refill(long now) {
            double minutes = (now - refilledAt) / NANOS_PER_MINUTE;
            refilledAt = now;
            requests = Math.min(limit.requestsPerMinute(), requests + minutes * limit.requestsPerMinute());
            tokens = Math.min(limit.tokensPerMinute(), tokens + minutes * limit.tokensPerMinute());
        }
    }
}
