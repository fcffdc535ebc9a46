package io.troupe.models.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.ModelException;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.models.langchain4j.WireServer.Reply;
import io.troupe.runtime.resilience.CircuitBreaker;
import io.troupe.runtime.resilience.ResiliencePolicy;
import io.troupe.runtime.resilience.ResilientModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Troupe's resilience layer against a real OpenAI-compatible HTTP server on loopback, with faults injected: it
 * retries exactly the failures worth retrying, honours Retry-After, cuts hung calls, trips and resets its breaker,
 * and falls back to a second model.
 */
class ResilienceIT {
    private static final ModelRequest REQUEST = ModelRequest.of(List.of(new ChatMessage.User("Hello")));
    private static final Reply OK = Reply.json("""
            {"id":"c","object":"chat.completion","created":1,"model":"gpt-test",
             "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Hi there"}}],
             "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""");
    private static final ResiliencePolicy FAST = ResiliencePolicy.DEFAULT
            .withBackoff(Duration.ofMillis(20), Duration.ofSeconds(10), 0)
            .withMaxAttempts(3)
            .withCallTimeout(Duration.ofSeconds(10));

    private WireServer server;
    private final CountDownLatch hung = new CountDownLatch(1);

    @BeforeEach
    void startServer() throws Exception {
        server = new WireServer();
    }

    @AfterEach
    void stopServer() {
        hung.countDown();
        server.close();
    }

    private LanguageModel openAi(WireServer on) {
        return OpenAiCompatible.builder()
                .baseUrl(on.url("/v1"))
                .apiKey(ApiKey.fromConfiguration("sk-test", "test.api-key"))
                .model("gpt-test")
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    private static ModelResponse call(LanguageModel model) throws Exception {
        return model.generate(REQUEST).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static Throwable failure(LanguageModel model) throws Exception {
        try {
            model.generate(REQUEST).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void rateLimited_waitsAsRetryAfterSaysThenSucceeds() throws Exception {
        server.reply(Reply.error(429, "{\"error\":{\"message\":\"slow down\"}}", Map.of("Retry-After", "1")), OK);
        LanguageModel model =
                ResilientModel.builder("gpt", openAi(server)).policy(FAST).build();

        long start = System.nanoTime();
        ModelResponse response = call(model);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.text()).isEqualTo("Hi there");
        assertThat(server.requests()).hasSize(2);
        // The backoff alone would be 20 ms: the 1 s wait is Retry-After's, within 10%.
        assertThat(elapsedMillis).isBetween(1000L, 1100L);
    }

    @Test
    void serverErrors_areRetriedUntilTheServerRecovers() throws Exception {
        server.reply(
                Reply.error(500, "{\"error\":{\"message\":\"boom\"}}", Map.of()),
                Reply.error(503, "{\"error\":{\"message\":\"busy\"}}", Map.of()),
                OK);

        assertThat(call(ResilientModel.builder("gpt", openAi(server))
                                .policy(FAST)
                                .build())
                        .text())
                .isEqualTo("Hi there");
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void connectionReset_isRetried() throws Exception {
        server.reply(Reply.drop(), OK);

        assertThat(call(ResilientModel.builder("gpt", openAi(server))
                                .policy(FAST)
                                .build())
                        .text())
                .isEqualTo("Hi there");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void hungResponse_isCutByTheCallTimeout() throws Exception {
        server.reply(OK.after(hung), OK.after(hung));
        LanguageModel model = ResilientModel.builder("gpt", openAi(server))
                .policy(FAST.withMaxAttempts(2).withCallTimeout(Duration.ofMillis(300)))
                .build();

        long start = System.nanoTime();
        Throwable error = failure(model);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(error)
                .isInstanceOf(ModelException.Retriable.class)
                .hasMessage("model 'gpt' did not answer within 300 ms");
        assertThat(server.requests()).hasSize(2);
        assertThat(elapsedMillis).isBetween(600L, 2000L);
    }

    @Test
    void badRequestAndUnauthorized_areNeverRetried() throws Exception {
        server.reply(
                Reply.error(400, "{\"error\":{\"message\":\"bad field\"}}", Map.of()),
                Reply.error(401, "{\"error\":{\"message\":\"bad key\"}}", Map.of()));
        LanguageModel model =
                ResilientModel.builder("gpt", openAi(server)).policy(FAST).build();

        assertThat(failure(model)).isInstanceOf(ModelException.NonRetriable.class);
        assertThat(server.requests()).hasSize(1);
        assertThat(failure(model)).isInstanceOf(ModelException.NonRetriable.class);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void breaker_opensAfterTheConfiguredFailuresAndHalfOpensLater() throws Exception {
        MutableClock clock = new MutableClock();
        server.reply(
                Reply.error(500, "{\"error\":{\"message\":\"down\"}}", Map.of()),
                Reply.error(500, "{\"error\":{\"message\":\"down\"}}", Map.of()),
                OK);
        ResilientModel model = ResilientModel.builder("gpt", openAi(server))
                .policy(FAST.withMaxAttempts(1).withBreaker(2, Duration.ofSeconds(20)))
                .clock(clock)
                .build();

        failure(model);
        failure(model);
        assertThat(model.breakerState("gpt")).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(failure(model)).hasMessageStartingWith("the circuit breaker of model 'gpt' is open");
        assertThat(server.requests()).hasSize(2); // refused without a request

        clock.advance(Duration.ofSeconds(21));
        assertThat(model.breakerState("gpt")).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(call(model).text()).isEqualTo("Hi there");
        assertThat(model.breakerState("gpt")).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void fallbackModel_answersWhenThePrimaryIsDown() throws Exception {
        try (WireServer secondary = new WireServer()) {
            server.reply(
                    Reply.error(503, "{\"error\":{\"message\":\"down\"}}", Map.of()),
                    Reply.error(503, "{\"error\":{\"message\":\"down\"}}", Map.of()));
            secondary.reply(OK);
            LanguageModel model = ResilientModel.builder("primary", openAi(server))
                    .policy(FAST.withMaxAttempts(2))
                    .fallback("secondary", openAi(secondary))
                    .build();

            ModelResponse response = call(model);

            assertThat(response.text()).isEqualTo("Hi there");
            assertThat(response.servedBy()).isEqualTo("secondary");
            assertThat(server.requests()).hasSize(2);
            assertThat(secondary.requests()).hasSize(1);
        }
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
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
