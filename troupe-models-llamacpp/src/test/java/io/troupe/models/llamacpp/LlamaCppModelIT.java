package io.troupe.models.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.troupe.api.ModelException;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.tool.ToolDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The llama.cpp model on the real stories260K and llama-2-tiny-random files. */
class LlamaCppModelIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PERSON_SCHEMA = """
            {"type": "object",
             "properties": {
               "name": {"type": "string", "maxLength": 24},
               "age": {"type": "integer", "minimum": 0, "maximum": 120},
               "mood": {"enum": ["happy", "sad"]},
               "pets": {"type": "array", "items": {"type": "string", "maxLength": 12}, "maxItems": 3}
             },
             "required": ["name", "age", "mood", "pets"],
             "additionalProperties": false}
            """;

    private static LlamaCppModels pool;
    private static LlamaCppModel stories;

    @BeforeAll
    static void load() {
        pool = new LlamaCppModels();
        stories = pool.model(TestModels.stories(), TestModels.STORIES_SHA256, LlamaCppSettings.DEFAULTS);
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    private static ModelRequest user(String text) {
        return ModelRequest.of(List.of(new ChatMessage.User(text)));
    }

    private static ModelResponse await(CompletableFuture<ModelResponse> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void generate_atTemperatureZero_continuesTheStoryIdenticallyTwice() throws Exception {
        ModelResponse first = await(stories.generate(user("Once upon a time")));
        ModelResponse second = await(stories.generate(user("Once upon a time")));

        assertThat(first.text()).contains("Lily");
        assertThat(second.text()).isEqualTo(first.text());
        assertThat(first.toolCalls()).isEmpty();
        assertThat(first.usage().inputTokens()).isPositive();
        assertThat(first.usage().outputTokens()).isPositive();
        assertThat(first.usage().cost()).isZero();
    }

    @Test
    void usage_countsTheTokensGenerated() throws Exception {
        LlamaCppModel capped = pool.model(TestModels.stories(), LlamaCppSettings.DEFAULTS.withMaxTokens(16));

        ModelResponse response = await(capped.generate(user("Once upon a time")));

        // The story runs on past 16 tokens, so the cap ends it: 16 generated (tokenising the text again gives 17).
        assertThat(response.usage().outputTokens()).isEqualTo(16);
    }

    @Test
    void generate_withResponseSchema_givesValidJson20TimesOutOf20() throws Exception {
        JsonSchema schema =
                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(PERSON_SCHEMA);
        ModelRequest request = new ModelRequest(
                List.of(new ChatMessage.User("Tell me about the girl in the park.")), List.of(), PERSON_SCHEMA);
        List<CompletableFuture<ModelResponse>> calls = new ArrayList<>();
        for (int seed = 1; seed <= 20; seed++) {
            // Sampling at temperature 1 with 20 seeds, so that the 20 answers differ and each is a real test.
            LlamaCppModel sampling = pool.model(
                    TestModels.stories(),
                    LlamaCppSettings.DEFAULTS.withTemperature(1f).withSeed(seed).withMaxTokens(400));
            calls.add(sampling.generate(request));
        }
        List<String> texts = new ArrayList<>();
        for (CompletableFuture<ModelResponse> call : calls) {
            String text = await(call).text();
            JsonNode json = JSON.readTree(text);
            assertThat(schema.validate(json)).as(text).isEmpty();
            assertThat(json.get("name").isTextual()).isTrue();
            assertThat(json.get("age").isInt()).isTrue();
            assertThat(json.get("mood").asText()).isIn("happy", "sad");
            assertThat(json.get("pets").isArray()).isTrue();
            texts.add(text);
        }
        assertThat(texts).hasSize(20);
        assertThat(texts.stream().distinct().count()).as("distinct answers").isGreaterThan(1);
    }

    @Test
    void generate_withTools_givesAToolCallWithObjectArguments() throws Exception {
        ToolDefinition weather = new ToolDefinition("get_weather", "The weather in a city", """
                {"type": "object", "properties": {"city": {"type": "string", "maxLength": 20}},
                 "required": ["city"], "additionalProperties": false}""");
        ToolDefinition add = new ToolDefinition("add", "Adds two numbers", """
                {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
                 "required": ["a", "b"]}""");
        // stories260K is no instruct model: one earlier call in the history shows it the pattern to copy.
        List<ChatMessage> history = List.of(
                new ChatMessage.User("What is the weather in Rome?"),
                new ChatMessage.Assistant("", List.of(new ToolCall("call-1", "get_weather", "{\"city\":\"Rome\"}"))),
                new ChatMessage.ToolOutput("call-1", "get_weather", "Sunny", false),
                new ChatMessage.User("What is the weather in Paris?"));
        ModelRequest request = new ModelRequest(history, List.of(weather, add), null);

        ModelResponse response = await(stories.generate(request));

        assertThat(response.toolCalls()).hasSize(1);
        ToolCall call = response.toolCalls().getFirst();
        assertThat(call.id()).isEqualTo("call-1");
        assertThat(call.name()).isEqualTo("get_weather");
        JsonNode arguments = JSON.readTree(call.arguments());
        assertThat(arguments.isObject()).isTrue();
        assertThat(arguments.properties()).hasSize(1);
        assertThat(arguments.get("city").isTextual()).isTrue();
        assertThat(arguments.get("city").asText()).hasSizeLessThanOrEqualTo(20);
        assertThat(response.text()).isEmpty();
    }

    @Test
    void model_truncatedOrWrongMagic_failsClearlyAndTheJvmCarriesOn(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(TestModels.stories());
        Path half = Files.write(dir.resolve("half.gguf"), Arrays.copyOf(bytes, bytes.length / 2));
        Path html = Files.writeString(dir.resolve("html.gguf"), "<!DOCTYPE html><html>Not found</html>");

        assertThatThrownBy(() -> pool.model(half, LlamaCppSettings.DEFAULTS))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining(half.toRealPath().toString())
                .hasMessageContaining("truncated")
                .hasMessageContaining("download it again");
        assertThatThrownBy(() -> pool.model(html, LlamaCppSettings.DEFAULTS))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining(html.toRealPath().toString())
                .hasMessageContaining("is not a GGUF file")
                .hasMessageContaining("expected \"GGUF\"");

        assertThat(await(stories.generate(user("Once upon a time"))).text()).contains("Lily");
    }

    @Test
    void model_sha256Mismatch_isRefusedBeforeLoading(@TempDir Path dir) throws Exception {
        Path copy = Files.copy(TestModels.stories(), dir.resolve("copy.gguf"));
        String wrong = TestModels.TINY_RANDOM_SHA256;

        assertThatThrownBy(() -> pool.model(copy, wrong, LlamaCppSettings.DEFAULTS))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining(copy.toRealPath().toString())
                .hasMessageContaining("has sha256 " + TestModels.STORIES_SHA256)
                .hasMessageContaining(wrong + " was expected, so it was not loaded");
        assertThatThrownBy(() -> pool.model(copy, "not-a-hash", LlamaCppSettings.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expectedSha256 must be 64 hexadecimal digits");
    }

    @Test
    void generate_eightConcurrentCallers_allGetTheSameCorrectAnswer() throws Exception {
        List<CompletableFuture<ModelResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> stories.generate(user("Once upon a time")))
                    .thenCompose(stage -> stage));
        }
        List<String> texts = new ArrayList<>();
        for (CompletableFuture<ModelResponse> call : calls) {
            texts.add(await(call).text());
        }
        assertThat(texts).allSatisfy(text -> assertThat(text).contains("Lily"));
        assertThat(texts.stream().distinct()).hasSize(1);
    }

    @Test
    void generate_streaming_deliversTokensThatAddUpToTheText() throws Exception {
        List<String> tokens = new ArrayList<>();

        ModelResponse response = await(stories.generate(user("Once upon a time"), tokens::add));

        assertThat(tokens).hasSizeGreaterThan(5);
        assertThat(String.join("", tokens)).isEqualTo(response.text());
    }

    @Test
    void generate_cancelled_stopsGeneratingAndTheModelServesTheNextCall() throws Exception {
        LlamaCppModel longStory = pool.model(TestModels.stories(), LlamaCppSettings.DEFAULTS.withMaxTokens(1500));
        int uncancelled =
                await(longStory.generate(user("Once upon a time"))).usage().outputTokens() > 0
                        ? await(longStory.generate(user("Once upon a time")))
                                .text()
                                .length()
                        : 0;
        AtomicInteger delivered = new AtomicInteger();
        CountDownLatch third = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);

        CompletableFuture<ModelResponse> call = longStory.generate(user("Once upon a time"), token -> {
            if (delivered.incrementAndGet() == 3) {
                third.countDown();
                await(cancelled);
            }
        });
        assertThat(third.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        call.cancel(true); // from the test thread, while the model's thread waits in the sink
        cancelled.countDown();

        assertThatThrownBy(call::join).isInstanceOf(CancellationException.class);
        ModelResponse next = await(stories.generate(user("Once upon a time"))); // runs after the cancelled call
        assertThat(next.text()).contains("Lily");
        assertThat(delivered.get()).isEqualTo(3);
        assertThat(uncancelled).as("tokens without cancelling").isGreaterThan(20);
    }

    @Test
    void generate_queueFull_isRefusedWithARetriableError_andEmbeddingsWork() throws Exception {
        LlamaCppModel tiny = pool.model(
                TestModels.tinyRandom(),
                TestModels.TINY_RANDOM_SHA256,
                LlamaCppSettings.DEFAULTS
                        .withQueueCapacity(1)
                        .withEmbeddings(true)
                        .withMaxTokens(8));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<ModelResponse> running = tiny.generate(user("Hello"), token -> {
            started.countDown();
            await(release);
        });
        assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        CompletableFuture<ModelResponse> queued = tiny.generate(user("Hello"));
        CompletableFuture<ModelResponse> refused = tiny.generate(user("Hello"));

        assertThatThrownBy(refused::join)
                .hasCauseInstanceOf(ModelException.Retriable.class)
                .hasMessageContaining("queueCapacity=1");
        release.countDown();
        assertThat(await(running).text()).isNotEmpty();
        // Not compared with the first answer: on random weights the logits are nearly flat, so reusing the cached
        // prompt instead of evaluating it afresh can flip the greedy choice.
        assertThat(await(queued).text()).isNotEmpty();

        List<float[]> vectors =
                tiny.embed(List.of("a cat", "a dog")).toCompletableFuture().get();
        assertThat(vectors).hasSize(2);
        assertThat(vectors.get(0)).hasSameSizeAs(vectors.get(1)).isNotEmpty();
        assertThatThrownBy(
                        () -> stories.embed(List.of("x")).toCompletableFuture().get())
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("withEmbeddings(true)");
    }

    @Test
    void model_sameFileWithOtherLoadSettings_isAConfigurationError() {
        assertThatThrownBy(() -> pool.model(TestModels.stories(), LlamaCppSettings.DEFAULTS.withContextSize(512)))
                .isInstanceOf(io.troupe.api.ConfigurationException.class)
                .hasMessageContaining("already loaded with threads=1, contextSize=2048")
                .hasMessageContaining("a second load would leak native memory");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released in " + WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
