package io.troupe.runtime.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ModelException;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ResilientModelTest {
    private static final ModelRequest REQUEST = ModelRequest.of(List.of(new ChatMessage.User("Hi")));
    private static final ModelResponse OK = ModelResponse.text("Hello", Usage.of(1, 1));
    private static final ResiliencePolicy POLICY = ResiliencePolicy.DEFAULT
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(30), 0.2)
            .withMaxAttempts(3);

    /** A model that answers from a queue of outcomes and counts its calls. */
    private static final class Scripted implements LanguageModel {
        final Deque<Supplier<CompletionStage<ModelResponse>>> outcomes = new ArrayDeque<>();
        int calls;

        Scripted fail(ModelException error) {
            outcomes.add(() -> CompletableFuture.failedFuture(error));
            return this;
        }

        Scripted answer() {
            outcomes.add(() -> CompletableFuture.completedFuture(OK));
            return this;
        }

        Scripted hang() {
            outcomes.add(CompletableFuture::new);
            return this;
        }

        @Override
        public CompletionStage<ModelResponse> generate(ModelRequest request, io.troupe.api.model.TokenSink tokens) {
            calls++;
            return outcomes.isEmpty()
                    ? CompletableFuture.completedFuture(OK)
                    : outcomes.poll().get();
        }
    }

    private final List<Duration> waits = new ArrayList<>();

    private ResilientModel.Builder resilient(LanguageModel model) {
        return ResilientModel.builder("primary", model)
                .policy(POLICY)
                .random(() -> 0)
                .delayer((delay, task) -> {
                    waits.add(delay);
                    task.run();
                });
    }

    private static ModelResponse call(LanguageModel model) throws Exception {
        return model.generate(REQUEST).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Throwable failure(LanguageModel model) {
        try {
            model.generate(REQUEST).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void retriable_isRetriedWithExponentialBackoffUntilItSucceeds() throws Exception {
        Scripted model = new Scripted()
                .fail(new ModelException.Retriable("HTTP 500"))
                .fail(new ModelException.Retriable("HTTP 503"))
                .answer();

        assertThat(call(resilient(model).build())).isEqualTo(OK);
        assertThat(model.calls).isEqualTo(3);
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void retryAfter_isHonouredWhenLongerThanTheBackoff() throws Exception {
        Scripted model = new Scripted()
                .fail(new ModelException.Retriable("HTTP 429", Duration.ofSeconds(2), null))
                .answer();

        call(resilient(model).build());

        assertThat(waits).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void retryAfterLongerThanTheMaxBackoff_isNotRetriedEarly_butFallsBackAtOnce() throws Exception {
        Scripted primary = new Scripted().fail(new ModelException.Retriable("HTTP 429", Duration.ofHours(1), null));
        Scripted fallback = new Scripted().answer();

        call(resilient(primary).fallback("secondary", fallback).build());

        assertThat(primary.calls)
                .as("no retry that the server would refuse again")
                .isEqualTo(1);
        assertThat(fallback.calls).isEqualTo(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void retryAfterLongerThanTheMaxBackoff_withoutAFallback_failsWithWhatTheServerAsked() {
        Scripted primary = new Scripted().fail(new ModelException.Retriable("HTTP 429", Duration.ofHours(1), null));

        Throwable error = failure(resilient(primary).build());

        assertThat(error)
                .isInstanceOf(ModelException.Retriable.class)
                .hasMessageContaining("HTTP 429; it asked to wait 3600 s, longer than model 'primary' waits between"
                        + " attempts (30000 ms, max-backoff), so it was not retried");
        assertThat(primary.calls).isEqualTo(1);
    }

    @Test
    void jitter_shortensTheWaitByUpToItsShare() {
        ResilientModel model = resilient(new Scripted()).random(() -> 0.5).build();

        assertThat(model.delay(1, new ModelException.Retriable("HTTP 500"))).isEqualTo(Duration.ofMillis(90));
        assertThat(model.delay(3, new ModelException.Retriable("HTTP 500"))).isEqualTo(Duration.ofMillis(360));
    }

    @Test
    void nonRetriable_failsAtOnceWithoutRetryOrFallback() {
        Scripted primary = new Scripted().fail(new ModelException.NonRetriable("HTTP 401: check OPENAI_API_KEY"));
        Scripted fallback = new Scripted();

        Throwable error =
                failure(resilient(primary).fallback("secondary", fallback).build());

        assertThat(error).isInstanceOf(ModelException.NonRetriable.class).hasMessage("HTTP 401: check OPENAI_API_KEY");
        assertThat(primary.calls).isEqualTo(1);
        assertThat(fallback.calls).isZero();
        assertThat(waits).isEmpty();
    }

    @Test
    void timeout_cutsAHungCallAndCountsAsRetriable() {
        Scripted model = new Scripted().hang().hang();
        ResilientModel resilient = resilient(model)
                .policy(POLICY.withMaxAttempts(2).withCallTimeout(Duration.ofMillis(50)))
                .build();

        Throwable error = failure(resilient);

        assertThat(error)
                .isInstanceOf(ModelException.Retriable.class)
                .hasMessage("model 'primary' did not answer within 50 ms");
        assertThat(model.calls).isEqualTo(2);
    }

    @Test
    void breaker_opensAfterTheThresholdAndHalfOpensLater() throws Exception {
        MutableClock clock = new MutableClock();
        Scripted model = new Scripted()
                .fail(new ModelException.Retriable("HTTP 500"))
                .fail(new ModelException.Retriable("HTTP 500"));
        ResilientModel resilient = resilient(model)
                .policy(POLICY.withMaxAttempts(1).withBreaker(2, Duration.ofSeconds(30)))
                .clock(clock)
                .build();

        failure(resilient);
        failure(resilient);
        assertThat(resilient.breakerState("primary")).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(failure(resilient))
                .isInstanceOf(ModelException.Retriable.class)
                .hasMessageStartingWith("the circuit breaker of model 'primary' is open after repeated failures");
        assertThat(model.calls).isEqualTo(2);

        clock.advance(Duration.ofSeconds(31));
        assertThat(resilient.breakerState("primary")).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(call(resilient)).isEqualTo(OK);
        assertThat(resilient.breakerState("primary")).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(model.calls).isEqualTo(3);
    }

    @Test
    void fallback_answersWhenThePrimaryIsDown() throws Exception {
        Scripted primary = new Scripted()
                .fail(new ModelException.Retriable("HTTP 503"))
                .fail(new ModelException.Retriable("HTTP 503"));
        Scripted secondary = new Scripted().answer();
        List<String> fallbacks = new ArrayList<>();
        ResilientModel resilient = resilient(primary)
                .policy(POLICY.withMaxAttempts(2))
                .fallback("secondary", secondary)
                .listener(new ResilienceListener() {
                    @Override
                    public void onFallback(String from, String to, ModelException error) {
                        fallbacks.add(from + "→" + to + ": " + error.getMessage());
                    }
                })
                .build();

        ModelResponse answer = call(resilient);
        assertThat(answer.text()).isEqualTo("Hello");
        assertThat(answer.servedBy()).isEqualTo("secondary");
        assertThat(primary.calls).isEqualTo(2);
        assertThat(secondary.calls).isEqualTo(1);
        assertThat(fallbacks).containsExactly("primary→secondary: HTTP 503");
    }

    @Test
    void fallbackChain_withARepeatedName_isRefused() {
        assertThatThrownBy(() -> ResilientModel.builder("a", new Scripted()).fallback("a", new Scripted()))
                .hasMessage("Invalid configuration: model 'a' appears twice in the fallback chain [a]");
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-29T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void fallback_withItsOwnPolicy_retriesUnderThatPolicy() throws Exception {
        Scripted primary = new Scripted()
                .fail(new ModelException.Retriable("HTTP 500"))
                .fail(new ModelException.Retriable("HTTP 500"))
                .fail(new ModelException.Retriable("HTTP 500"));
        Scripted backup =
                new Scripted().fail(new ModelException.Retriable("HTTP 502")).answer();
        ResiliencePolicy backupPolicy = ResiliencePolicy.DEFAULT
                .withBackoff(Duration.ofMillis(700), Duration.ofSeconds(30), 0)
                .withMaxAttempts(2);

        ModelResponse response =
                call(resilient(primary).fallback("backup", backup, backupPolicy).build());

        assertThat(response.servedBy()).isEqualTo("backup");
        assertThat(primary.calls).isEqualTo(3);
        assertThat(backup.calls).isEqualTo(2);
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(700));
    }

    @Test
    void sharedBreaker_openedByOneChain_isOpenForTheOther() throws Exception {
        CircuitBreaker shared = new CircuitBreaker(1, Duration.ofMinutes(1), Clock.systemUTC());
        Scripted flaky = new Scripted().fail(new ModelException.Retriable("HTTP 500"));
        ResilientModel direct = ResilientModel.builder("flaky", flaky)
                .policy(POLICY.withMaxAttempts(1))
                .breaker("flaky", shared)
                .build();
        Scripted other = new Scripted();
        ResilientModel chained = ResilientModel.builder(
                        "other", new Scripted().fail(new ModelException.Retriable("HTTP 503")))
                .policy(POLICY.withMaxAttempts(1))
                .fallback("flaky", flaky)
                .fallback("last", other)
                .breaker("flaky", shared)
                .build();

        failure(direct);
        ModelResponse response = call(chained);

        assertThat(shared.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(chained.breakerState("flaky")).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(flaky.calls)
                .as("the open breaker keeps the second chain off the endpoint")
                .isEqualTo(1);
        assertThat(response.servedBy()).isEqualTo("last");
    }

    @Test
    void breaker_forAModelOutsideTheChain_isRefused() {
        assertThatThrownBy(() -> ResilientModel.builder("a", new Scripted())
                        .breaker("b", new CircuitBreaker(1, Duration.ofSeconds(1), Clock.systemUTC()))
                        .build())
                .hasMessageContaining("model 'b', which is not in the chain [a]");
    }

    @Test
    void byDefault_wrapsABareModel_onceOnly() throws Exception {
        Scripted bare =
                new Scripted().fail(new ModelException.Retriable("HTTP 503")).answer();

        LanguageModel wrapped = ResilientModel.byDefault("gpt", bare);

        assertThat(wrapped).isInstanceOf(ResilientModel.class);
        assertThat(ResilientModel.byDefault("gpt", wrapped)).isSameAs(wrapped);
        assertThat(wrapped.generate(REQUEST).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .as("the default policy retried the 503")
                .isEqualTo(OK);
        assertThat(bare.calls).isEqualTo(2);
    }

    @Test
    void cancellingTheAnswer_cancelsTheAttemptInFlight() {
        CompletableFuture<ModelResponse> inFlight = new CompletableFuture<>();
        LanguageModel model = resilient((request, tokens) -> inFlight).build();

        CompletableFuture<ModelResponse> answer = model.generate(REQUEST).toCompletableFuture();
        answer.cancel(true);

        assertThat(inFlight.isCancelled())
                .as("the model's own call is stopped, not left to finish for nobody")
                .isTrue();
    }
}
