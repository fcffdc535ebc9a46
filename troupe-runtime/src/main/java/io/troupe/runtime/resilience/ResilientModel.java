package io.troupe.runtime.resilience;

import io.troupe.api.Checks;
import io.troupe.api.ConfigurationException;
import io.troupe.api.ModelException;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LanguageModel} with Troupe's resilience layer around a chain of models: the primary, then fallbacks.
 *
 * <p>For each model in turn: its circuit breaker must admit the call; each attempt has a timeout; a retriable
 * failure (a {@link ModelException.Retriable}: 429, 5xx, a timeout, a connection reset) is retried after an
 * exponential backoff with jitter, or after the provider's Retry-After if that is longer, up to
 * {@link ResiliencePolicy#maxAttempts()}; then the next model in the chain is tried. A non-retriable failure (400,
 * 401, 403: the request itself is wrong) fails at once, with no retry and no fallback. Waiting never blocks a
 * thread. Thread-safe.
 *
 * <pre>{@code
 * LanguageModel model = ResilientModel.builder("gpt", gpt)
 *         .policy(ResiliencePolicy.DEFAULT.withMaxAttempts(4))
 *         .fallback("local", qwen)
 *         .build();
 * }</pre>
 */
public final class ResilientModel implements LanguageModel {
    private final List<Endpoint> chain;
    private final ResilienceListener listener;
    private final DoubleSupplier random;
    private final BiConsumer<Duration, Runnable> delayer;

    /** One model of the chain, with the policy that governs its retries and timeouts, and its breaker. */
    private record Endpoint(String name, LanguageModel model, ResiliencePolicy policy, CircuitBreaker breaker) {}

    private ResilientModel(Builder builder) {
        this.listener = builder.listener;
        this.random = builder.random;
        this.delayer = builder.delayer;
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < builder.names.size(); i++) {
            String name = builder.names.get(i);
            ResiliencePolicy own = builder.policies.get(i);
            ResiliencePolicy policy = own != null ? own : builder.policy;
            CircuitBreaker shared = builder.breakers.get(name);
            endpoints.add(new Endpoint(
                    name,
                    builder.models.get(i),
                    policy,
                    shared != null
                            ? shared
                            : new CircuitBreaker(policy.breakerThreshold(), policy.breakerOpenFor(), builder.clock)));
        }
        this.chain = List.copyOf(endpoints);
    }

    /**
     * {@code model} inside the resilience layer with {@link ResiliencePolicy#DEFAULT}, or {@code model} itself if it
     * already is a {@code ResilientModel}: what a runtime applies to every model registered with it, so that the layer
     * is on by default and never stacked.
     */
    public static LanguageModel byDefault(String name, LanguageModel model) {
        return model instanceof ResilientModel ? model : builder(name, model).build();
    }

    /** A builder for a chain that starts with {@code primary}, called {@code name} in messages. */
    public static Builder builder(String name, LanguageModel primary) {
        return new Builder(name, primary);
    }

    /** The breaker of the model called {@code name}. */
    public CircuitBreaker.State breakerState(String name) {
        return chain.stream()
                .filter(e -> e.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no model '" + name + "' in this chain"))
                .breaker()
                .state();
    }

    /** The primary model's count: fallbacks answer in its place, under the same budget. */
    @Override
    public long estimateTokens(ModelRequest request) {
        return chain.getFirst().model().estimateTokens(request);
    }

    /** The dearest of the chain's prices: a fallback may answer in the primary's place. */
    @Override
    public java.math.BigDecimal estimateCost(long inputTokens, long outputTokens) {
        java.math.BigDecimal dearest = java.math.BigDecimal.ZERO;
        for (var link : chain) {
            dearest = dearest.max(link.model().estimateCost(inputTokens, outputTokens));
        }
        return dearest;
    }

    @Override
    public CompletionStage<ModelResponse> generate(ModelRequest request, TokenSink tokens) {
        CompletableFuture<ModelResponse> result = new CompletableFuture<>();
        AtomicReference<@Nullable CompletableFuture<ModelResponse>> inFlight = new AtomicReference<>();
        // Cancelling the chain's answer cancels the attempt in flight, down to the model (an HTTP exchange, a remote
        // agent's task), rather than leaving it to finish for nobody.
        result.whenComplete((response, failure) -> {
            CompletableFuture<ModelResponse> call = inFlight.get();
            if (result.isCancelled() && call != null) {
                call.cancel(true);
            }
        });
        attempt(0, 1, request, tokens, result, inFlight);
        return result;
    }

    private void attempt(
            int index,
            int attempt,
            ModelRequest request,
            TokenSink tokens,
            CompletableFuture<ModelResponse> result,
            AtomicReference<@Nullable CompletableFuture<ModelResponse>> inFlight) {
        if (result.isDone()) {
            return; // cancelled by the caller
        }
        Endpoint endpoint = chain.get(index);
        if (!endpoint.breaker().tryAcquire()) {
            listener.onBreakerOpen(endpoint.name());
            ModelException open = new ModelException.Retriable("the circuit breaker of model '" + endpoint.name()
                    + "' is open after repeated failures; it lets a trial call through in "
                    + endpoint.breaker().retryIn().toSeconds() + " s");
            next(index, open, request, tokens, result, inFlight);
            return;
        }
        CompletableFuture<ModelResponse> call;
        try {
            call = endpoint.model().generate(request, tokens).toCompletableFuture();
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        inFlight.set(call);
        if (result.isCancelled()) {
            call.cancel(true);
            return;
        }
        ResiliencePolicy policy = endpoint.policy();
        CompletableFuture<ModelResponse> timed = call;
        QuietTimer.Timer timeout = QuietTimer.SHARED.schedule(
                policy.callTimeout(), () -> timed.completeExceptionally(new TimeoutException()));
        call.whenComplete((response, failure) -> {
            timeout.cancel();
            if (failure == null) {
                endpoint.breaker().onSuccess();
                // The journal records which model of the chain answered, so that fallbacks are visible.
                result.complete(chain.size() > 1 ? response.servedBy(endpoint.name()) : response);
                return;
            }
            ModelException error = classify(endpoint, failure);
            if (!error.isRetriable()) {
                result.completeExceptionally(error); // the request is wrong: retrying or another model won't help
                return;
            }
            endpoint.breaker().onFailure();
            Duration asked = ((ModelException.Retriable) error).retryAfter().orElse(Duration.ZERO);
            if (asked.compareTo(policy.maxBackoff()) > 0) {
                // Retrying before the server's Retry-After would only be refused again: the next model of the
                // chain, if any, is asked now; else the call fails with what the server said.
                next(
                        index,
                        new ModelException.Retriable(
                                error.getMessage() + "; it asked to wait " + asked.toSeconds()
                                        + " s, longer than model '" + endpoint.name() + "' waits between attempts ("
                                        + policy.maxBackoff().toMillis() + " ms, max-backoff), so it was not retried",
                                asked,
                                error),
                        request,
                        tokens,
                        result,
                        inFlight);
            } else if (attempt < policy.maxAttempts()) {
                Duration delay = delay(policy, attempt, (ModelException.Retriable) error);
                listener.onRetry(endpoint.name(), attempt, delay, error);
                delayer.accept(delay, () -> attempt(index, attempt + 1, request, tokens, result, inFlight));
            } else {
                next(index, error, request, tokens, result, inFlight);
            }
        });
    }

    private void next(
            int index,
            ModelException error,
            ModelRequest request,
            TokenSink tokens,
            CompletableFuture<ModelResponse> result,
            AtomicReference<@Nullable CompletableFuture<ModelResponse>> inFlight) {
        if (index + 1 < chain.size()) {
            listener.onFallback(chain.get(index).name(), chain.get(index + 1).name(), error);
            attempt(index + 1, 1, request, tokens, result, inFlight);
        } else {
            result.completeExceptionally(error);
        }
    }

    /** The wait before retry {@code attempt} on the primary. */
    Duration delay(int attempt, ModelException.Retriable error) {
        return delay(chain.getFirst().policy(), attempt, error);
    }

    /** Backoff with jitter, but never less than the provider's Retry-After; at most the policy's maximum. */
    private Duration delay(ResiliencePolicy policy, int attempt, ModelException.Retriable error) {
        Duration backoff = policy.backoff(attempt);
        long jittered = Math.round(backoff.toMillis() * (1 - policy.jitter() * random.getAsDouble()));
        Duration delay = Duration.ofMillis(jittered);
        Duration retryAfter = error.retryAfter().orElse(Duration.ZERO);
        if (retryAfter.compareTo(delay) > 0) {
            delay = retryAfter;
        }
        return delay.compareTo(policy.maxBackoff()) > 0 ? policy.maxBackoff() : delay;
    }

    private static ModelException classify(Endpoint endpoint, Throwable failure) {
        String model = endpoint.name();
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return switch (cause) {
            case ModelException e -> e;
            case TimeoutException e ->
                new ModelException.Retriable(
                        "model '" + model + "' did not answer within "
                                + endpoint.policy().callTimeout().toMillis() + " ms",
                        e);
            case IOException e -> new ModelException.Retriable("model '" + model + "' connection failed: " + e, e);
            default -> new ModelException.NonRetriable("model '" + model + "' failed: " + cause, cause);
        };
    }

    /** Builds a {@link ResilientModel}. Not thread-safe. */
    public static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final List<LanguageModel> models = new ArrayList<>();
        /** Each model's own policy, or null for the chain's {@link #policy(ResiliencePolicy)}. */
        private final List<@Nullable ResiliencePolicy> policies = new ArrayList<>();

        private final Map<String, CircuitBreaker> breakers = new HashMap<>();
        private ResiliencePolicy policy = ResiliencePolicy.DEFAULT;
        private ResilienceListener listener = ResilienceListener.NONE;
        private Clock clock = Clock.systemUTC();
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private BiConsumer<Duration, Runnable> delayer = QuietTimer.SHARED::schedule;

        private Builder(String name, LanguageModel primary) {
            fallback(name, primary);
        }

        /**
         * Adds a model to try when the ones before it give up on a retriable failure; it retries under the chain's
         * {@link #policy(ResiliencePolicy)}.
         */
        public Builder fallback(String name, LanguageModel model) {
            return add(name, model, null);
        }

        /**
         * Adds a model to try when the ones before it give up on a retriable failure, with its own retries, timeout
         * and breaker settings: a fallback that is configured as a model of its own keeps its own policy.
         */
        public Builder fallback(String name, LanguageModel model, ResiliencePolicy policy) {
            return add(name, model, Checks.notNull(policy, "policy of model '" + name + "'"));
        }

        private Builder add(String name, LanguageModel model, @Nullable ResiliencePolicy own) {
            Checks.notBlank(name, "model name");
            if (names.contains(name)) {
                throw new ConfigurationException("model '" + name + "' appears twice in the fallback chain " + names);
            }
            names.add(name);
            models.add(Checks.notNull(model, "model '" + name + "'"));
            policies.add(own);
            return this;
        }

        /**
         * The policy of the primary, and of every fallback added without a policy of its own; {@link
         * ResiliencePolicy#DEFAULT} unless set.
         */
        public Builder policy(ResiliencePolicy policy) {
            this.policy = Checks.notNull(policy, "policy");
            return this;
        }

        public Builder listener(ResilienceListener listener) {
            this.listener = Checks.notNull(listener, "listener");
            return this;
        }

        /**
         * Uses {@code breaker} for the model called {@code name} instead of a breaker of this chain's own, so that
         * chains sharing an endpoint (a model that is both used directly and a fallback of another) share its
         * state: one breaker per endpoint.
         */
        public Builder breaker(String name, CircuitBreaker breaker) {
            breakers.put(Checks.notBlank(name, "model name"), Checks.notNull(breaker, "breaker of '" + name + "'"));
            return this;
        }

        /** The clock the circuit breakers read; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Checks.notNull(clock, "clock");
            return this;
        }

        /** The source of jitter, a number in [0, 1); random by default. */
        public Builder random(DoubleSupplier random) {
            this.random = Checks.notNull(random, "random");
            return this;
        }

        /** How waits happen; by default a timer shared by every chain, without blocking a thread. For tests. */
        public Builder delayer(BiConsumer<Duration, Runnable> delayer) {
            this.delayer = Checks.notNull(delayer, "delayer");
            return this;
        }

        /**
         * Builds the chain.
         *
         * @throws ConfigurationException if a shared breaker names a model that is not in the chain
         */
        public ResilientModel build() {
            for (String name : breakers.keySet()) {
                if (!names.contains(name)) {
                    throw new ConfigurationException(
                            "a breaker is given for model '" + name + "', which is not in the chain " + names);
                }
            }
            return new ResilientModel(this);
        }
    }

    @Override
    public String toString() {
        return "ResilientModel" + chain.stream().map(Endpoint::name).toList();
    }
}
