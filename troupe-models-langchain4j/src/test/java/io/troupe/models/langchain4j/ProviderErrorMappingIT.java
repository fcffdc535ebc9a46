package io.troupe.models.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.troupe.api.ModelException;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import io.troupe.models.langchain4j.WireServer.Reply;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How each adapter reports HTTP failures, blocking and streaming, against the same loopback servers as {@link
 * ProviderWireIT}. Every case also proves that LangChain4j's own retries are off: one {@code generate}, one request.
 */
class ProviderErrorMappingIT {
    static final String KEY = "sk-test-secret-0123456789";
    static final ModelRequest REQUEST = ModelRequest.of(List.of(new ChatMessage.User("hello")));

    enum Provider {
        OPENAI("TEST_OPENAI_KEY", "/v1") {
            @Override
            LanguageModel build(String baseUrl, ApiKey key, Duration timeout) {
                return OpenAiCompatible.builder()
                        .baseUrl(baseUrl)
                        .apiKey(key)
                        .model("gpt-test")
                        .timeout(timeout)
                        .build();
            }
        },
        ANTHROPIC("TEST_ANTHROPIC_KEY", "/v1/") {
            @Override
            LanguageModel build(String baseUrl, ApiKey key, Duration timeout) {
                return Anthropic.builder()
                        .baseUrl(baseUrl)
                        .apiKey(key)
                        .model("claude-test")
                        .timeout(timeout)
                        .build();
            }
        },
        OLLAMA("TEST_OLLAMA_KEY", "") {
            @Override
            LanguageModel build(String baseUrl, ApiKey key, Duration timeout) {
                return Ollama.builder()
                        .baseUrl(baseUrl)
                        .apiKey(key)
                        .model("llama-test")
                        .timeout(timeout)
                        .build();
            }
        };

        final String keyVariable;
        final String basePath;

        Provider(String keyVariable, String basePath) {
            this.keyVariable = keyVariable;
            this.basePath = basePath;
        }

        abstract LanguageModel build(String baseUrl, ApiKey key, Duration timeout);

        LanguageModel build(String baseUrl, ApiKey key) {
            return build(baseUrl, key, ProviderBuilder.DEFAULT_TIMEOUT);
        }

        LanguageModel build(WireServer server) {
            return build(server, ProviderBuilder.DEFAULT_TIMEOUT);
        }

        LanguageModel build(WireServer server, Duration timeout) {
            return build(server.url(basePath), ApiKey.fromEnv(keyVariable, Map.of(keyVariable, KEY)::get), timeout);
        }
    }

    enum Mode {
        BLOCKING(TokenSink.NONE),
        STREAMING(token -> {});

        final TokenSink sink;

        Mode(TokenSink sink) {
            this.sink = sink;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(Provider.values())
                .flatMap(provider -> Stream.of(Mode.values()).map(mode -> Arguments.of(provider, mode)));
    }

    WireServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = new WireServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    ModelException failure(Provider provider, Mode mode) throws Exception {
        return failure(provider.build(server), mode);
    }

    ModelException failure(LanguageModel model, Mode mode) throws Exception {
        CompletionStage<ModelResponse> stage = model.generate(REQUEST, mode.sink);
        try {
            ModelResponse response = stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
            return fail("expected a ModelException, got " + response);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(ModelException.class);
            return (ModelException) e.getCause();
        } finally {
            assertThat(server.requests()).as("HTTP requests per generate call").hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void rateLimited_isRetriable_andCarriesRetryAfter(Provider provider, Mode mode) throws Exception {
        server.reply(Reply.error(429, "{\"error\":{\"message\":\"slow down\"}}", Map.of("Retry-After", "7")));

        ModelException failure = failure(provider, mode);

        assertThat(failure).isInstanceOf(ModelException.Retriable.class);
        assertThat(((ModelException.Retriable) failure).retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(failure.getMessage()).contains("HTTP 429", "Retry-After 7s", "slow down");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void serverError_isRetriable(Provider provider, Mode mode) throws Exception {
        server.reply(Reply.error(500, "{\"error\":{\"message\":\"boom\"}}", Map.of()));

        ModelException failure = failure(provider, mode);

        assertThat(failure).isInstanceOf(ModelException.Retriable.class);
        assertThat(((ModelException.Retriable) failure).retryAfter()).isEmpty();
        assertThat(failure.getMessage()).contains("HTTP 500", "boom");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void badRequest_isNonRetriable_andQuotesTheServer(Provider provider, Mode mode) throws Exception {
        server.reply(Reply.error(400, "{\"error\":{\"message\":\"Invalid schema for function 'x'\"}}", Map.of()));

        ModelException failure = failure(provider, mode);

        assertThat(failure).isInstanceOf(ModelException.NonRetriable.class);
        assertThat(failure.getMessage())
                .contains("HTTP 400", "Invalid schema for function 'x'", "check the model name")
                .contains(server.url(provider.basePath));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void unauthorized_isNonRetriable_namesWhereTheKeyComesFrom_neverTheKey(Provider provider, Mode mode)
            throws Exception {
        // A careless server echoes the key it was sent; Troupe must not pass it on.
        server.reply(
                Reply.error(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}", Map.of()));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        ModelException failure;
        LanguageModel model;
        try {
            System.setOut(new PrintStream(tee(out, output), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(tee(err, output), true, StandardCharsets.UTF_8));
            model = provider.build(server);
            failure = failure(provider, mode);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }

        assertThat(failure).isInstanceOf(ModelException.NonRetriable.class);
        assertThat(failure.getMessage())
                .contains("HTTP 401", "check the API key in environment variable " + provider.keyVariable)
                .contains("Incorrect API key provided: ***");
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertThat(t.toString()).doesNotContain(KEY);
        }
        assertThat(model.toString()).doesNotContain(KEY).contains(provider.keyVariable);
        assertThat(output.toString(StandardCharsets.UTF_8)).doesNotContain(KEY);
        assertThat(server.onlyRequest().headers().toString()).contains(KEY); // it was sent, just never shown
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void notFound_isNonRetriable_withTheProvidersRemedy(Provider provider, Mode mode) throws Exception {
        server.reply(Reply.error(404, "{\"error\":\"model not found\"}", Map.of()));

        ModelException failure = failure(provider, mode);

        assertThat(failure).isInstanceOf(ModelException.NonRetriable.class);
        assertThat(failure.getMessage()).contains("HTTP 404");
        switch (provider) {
            case OPENAI -> assertThat(failure.getMessage()).contains("usually /v1");
            case ANTHROPIC -> assertThat(failure.getMessage()).contains("check the model name");
            case OLLAMA -> assertThat(failure.getMessage()).contains("ollama pull llama-test");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void timeout_isRetriable(Provider provider, Mode mode) throws Exception {
        // The gate never opens: the server holds the request until the test ends, past the client's timeout.
        server.reply(Reply.json("{}").after(new java.util.concurrent.CountDownLatch(1)));

        ModelException failure = failure(provider.build(server, Duration.ofMillis(300)), mode);

        assertThat(failure).isInstanceOf(ModelException.Retriable.class);
        assertThat(failure.getMessage()).contains("timed out");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void droppedConnection_isRetriable(Provider provider, Mode mode) throws Exception {
        server.reply(Reply.drop());

        ModelException failure = failure(provider, mode);

        assertThat(failure).isInstanceOf(ModelException.Retriable.class);
        assertThat(failure.getMessage()).contains(server.url(provider.basePath));
    }

    private static final String CHUNK = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":%s}]}";

    @org.junit.jupiter.api.Test
    void openAiStreamCutBeforeDone_isRetriable_notAShortAnswer() throws Exception {
        server.reply(
                Reply.sse("data: " + CHUNK.formatted("Hello", "null"), "data: " + CHUNK.formatted(" partial", "null")));

        ModelException failure = failure(Provider.OPENAI, Mode.STREAMING);

        assertThat(failure).isInstanceOf(ModelException.Retriable.class);
        assertThat(failure.getMessage()).contains("cut off before its end");
    }

    @org.junit.jupiter.api.Test
    void openAiStreamingRequestAnsweredWithoutAStream_isNonRetriable_andSaysSo() throws Exception {
        // A server (or a proxy) that ignores "stream": true and answers with one JSON body: LangChain4j's SSE
        // parser finds no events in it, and would report an empty answer as complete.
        server.reply(Reply.json("{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-test\","
                + "\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\","
                + "\"content\":\"Hello\"}}]}"));

        ModelException failure = failure(Provider.OPENAI, Mode.STREAMING);

        assertThat(failure).isInstanceOf(ModelException.NonRetriable.class);
        assertThat(failure.getMessage())
                .contains("did not answer a streaming request with a stream")
                .contains("application/json");
    }

    @org.junit.jupiter.api.Test
    void openAiStreamOfInvalidJson_isNonRetriable_withoutParserInternals() throws Exception {
        server.reply(Reply.sse("data: {not json at all", "data: [DONE]"));

        ModelException failure = failure(Provider.OPENAI, Mode.STREAMING);

        assertThat(failure).isInstanceOf(ModelException.NonRetriable.class);
        assertThat(failure.getMessage()).contains("JSON that cannot be read").doesNotContain("StreamReadFeature");
    }

    @org.junit.jupiter.api.Test
    void openAiStreamWithoutUsage_isChargedTroupesEstimate_notZero() throws Exception {
        server.reply(Reply.sse("data: " + CHUNK.formatted("Hello there, friend", "\"stop\""), "data: [DONE]"));

        ModelResponse response = Provider.OPENAI
                .build(server)
                .generate(REQUEST, Mode.STREAMING.sink)
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);

        assertThat(response.text()).isEqualTo("Hello there, friend");
        assertThat(response.usage().inputTokens()).isEqualTo(REQUEST.estimatedTokens());
        assertThat(response.usage().outputTokens()).isEqualTo(5); // 19 characters, about four a token
    }

    private static OutputStream tee(PrintStream first, ByteArrayOutputStream second) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                first.write(bytes, offset, length);
                second.write(bytes, offset, length);
            }
        };
    }
}
