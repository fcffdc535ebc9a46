package io.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.model.Usage;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.interop.openai.ServedModels;
import io.troupe.interop.testing.RawHttp;
import io.troupe.models.langchain4j.OpenAiCompatible;
import io.troupe.models.llamacpp.LlamaCppModels;
import io.troupe.models.llamacpp.LlamaCppSettings;
import io.troupe.runtime.Journal;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code troupe serve} offers its local GGUF models over the OpenAI chat API: Troupe's own OpenAI provider, pointed at
 * the server, gets the same text as the same model called in process, with and without streaming, and the same tool
 * call; {@code /v1/models} lists the models and errors have the API's shape.
 */
class OpenAiServingIT {
    private static final int MAX_TOKENS = 48;

    static Path modelDir() {
        String env = System.getenv("TROUPE_MODEL_DIR");
        return Path.of(env != null ? env : System.getProperty("troupe.model.dir", "../../shared/models"));
    }

    @Test
    void troupesOpenAiProvider_onTroupesOwnEndpoint_givesTheInProcessText_plainAndStreamed(@TempDir Path dir)
            throws Exception {
        ModelRequest story = new ModelRequest(
                List.of(new ChatMessage.System("You tell stories."), new ChatMessage.User("Once upon a time")),
                List.of(),
                null);
        ModelRequest tools = new ModelRequest(
                List.of(new ChatMessage.User("What time is it in Oslo?")),
                List.of(
                        new ToolDefinition(
                                "clock",
                                "The time in a city",
                                "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}")),
                null);
        String expected;
        ModelResponse expectedTool;
        try (LlamaCppModels local = new LlamaCppModels()) {
            LanguageModel inProcess = local.model(
                    modelDir().resolve("stories260K.gguf"), LlamaCppSettings.DEFAULTS.withMaxTokens(MAX_TOKENS));
            expected = inProcess
                    .generate(story)
                    .toCompletableFuture()
                    .get(1, TimeUnit.MINUTES)
                    .text();
            expectedTool = inProcess.generate(tools).toCompletableFuture().get(1, TimeUnit.MINUTES);
        }
        assertThat(expected).isNotBlank();

        try (TroupeServer server = TroupeServer.builder()
                .port(0)
                .journal(Journal.h2(dir.resolve("journal")))
                .modelDirectory(modelDir())
                .start()) {
            LanguageModel served = OpenAiCompatible.builder()
                    .baseUrl(server.uri() + "/v1")
                    .model("stories260K")
                    .maxOutputTokens(MAX_TOKENS)
                    .build();

            ModelResponse plain = served.generate(story).toCompletableFuture().get(1, TimeUnit.MINUTES);
            assertThat(plain.text()).isEqualTo(expected);
            assertThat(plain.usage().inputTokens()).isPositive();
            assertThat(plain.usage().outputTokens()).isPositive();

            StringBuilder tokens = new StringBuilder();
            ModelResponse streamed =
                    served.generate(story, tokens::append).toCompletableFuture().get(1, TimeUnit.MINUTES);
            assertThat(streamed.text()).isEqualTo(expected);
            assertThat(tokens.toString()).isEqualTo(expected);

            ModelResponse tool = served.generate(tools).toCompletableFuture().get(1, TimeUnit.MINUTES);
            assertThat(tool.text()).isEqualTo(expectedTool.text());
            assertThat(tool.toolCalls())
                    .extracting(ToolCall::name, ToolCall::arguments)
                    .containsExactlyElementsOf(expectedTool.toolCalls().stream()
                            .map(call -> org.assertj.core.groups.Tuple.tuple(call.name(), call.arguments()))
                            .toList());

            HttpClient http = HttpClient.newHttpClient();
            JsonNode models = Json.MAPPER.readTree(http.send(
                            HttpRequest.newBuilder(URI.create(server.uri() + "/v1/models"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            assertThat(models.path("object").asText()).isEqualTo("list");
            assertThat(models.path("data").findValuesAsText("id")).contains("stories260K", "llama-2-tiny-random");

            HttpResponse<String> unknown = http.send(
                    HttpRequest.newBuilder(URI.create(server.uri() + "/v1/chat/completions"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(404);
            JsonNode error = Json.MAPPER.readTree(unknown.body()).path("error");
            assertThat(error.path("code").asText()).isEqualTo("model_not_found");
            assertThat(error.path("param").asText()).isEqualTo("model");
            assertThat(error.path("message").asText()).contains("gpt-9", "stories260K");

            // An answer that fills the model's context was cut off, as much as one that reached max_tokens.
            for (String limit : List.of(",\"max_tokens\":3", "")) {
                HttpResponse<String> cut = http.send(
                        HttpRequest.newBuilder(URI.create(server.uri() + "/v1/chat/completions"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"stories260K\",\"messages\":"
                                        + "[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":1,\"seed\":3"
                                        + limit + "}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode answer = Json.MAPPER.readTree(cut.body());
                assertThat(answer.path("choices").path(0).path("finish_reason").asText())
                        .as(cut.body())
                        .isEqualTo("length");
                if (limit.isEmpty()) {
                    assertThat(answer.path("usage").path("total_tokens").asInt())
                            .as("the answer filled the context")
                            .isGreaterThanOrEqualTo(LlamaCppSettings.DEFAULTS.contextSize() - 1);
                }
            }
        }
    }

    @Test
    void aProgramsOwnPool_isServed_andOutlivesTheServer(@TempDir Path dir) throws Exception {
        ModelRequest story = ModelRequest.of(List.of(new ChatMessage.User("Once upon a time")));
        try (LlamaCppModels pool = new LlamaCppModels()) {
            LanguageModel inProcess = pool.model(
                    modelDir().resolve("stories260K.gguf"), LlamaCppSettings.DEFAULTS.withMaxTokens(MAX_TOKENS));
            String expected = inProcess
                    .generate(story)
                    .toCompletableFuture()
                    .get(1, TimeUnit.MINUTES)
                    .text();
            try (TroupeServer server = TroupeServer.builder()
                    .port(0)
                    .journal(Journal.h2(dir.resolve("journal")))
                    .modelDirectory(modelDir())
                    .modelPool(pool)
                    .start()) {
                LanguageModel served = OpenAiCompatible.builder()
                        .baseUrl(server.uri() + "/v1")
                        .model("stories260K")
                        .maxOutputTokens(MAX_TOKENS)
                        .build();
                // The same loaded model answers, after the program's own call: the same text, as every call of the
                // same model and request gives (no prompt cache).
                assertThat(served.generate(story)
                                .toCompletableFuture()
                                .get(1, TimeUnit.MINUTES)
                                .text())
                        .isEqualTo(expected);
            }
            assertThat(inProcess
                            .generate(story)
                            .toCompletableFuture()
                            .get(1, TimeUnit.MINUTES)
                            .text())
                    .as("the server leaves the program's pool open when it closes")
                    .isEqualTo(expected);
        }
    }

    private static final String TOKEN = "openai-serving-token-0123456789";

    /** Sends {@code request} with the server's token (which a server without one ignores). */
    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) throws Exception {
        return http.send(
                request.header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The error of an answer in the OpenAI API's shape, read from a raw exchange. */
    private static JsonNode openAiError(RawHttp.Answer answer, int status) throws Exception {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().get("content-type")).startsWith("application/json");
        JsonNode error = answer.json().path("error");
        assertThat(error.has("message") && error.has("type") && error.has("param") && error.has("code"))
                .as(answer.body())
                .isTrue();
        return error;
    }

    /** The error of an answer in the OpenAI API's shape, checking its status and that it has all four fields. */
    private static JsonNode openAiError(HttpResponse<String> answer, int status) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = Json.MAPPER.readTree(answer.body()).path("error");
        assertThat(error.isObject()).as(answer.body()).isTrue();
        assertThat(error.has("message") && error.has("type") && error.has("param") && error.has("code"))
                .as(answer.body())
                .isTrue();
        return error;
    }

    @Test
    void refusals_underV1_haveTheOpenAiErrorShape_withOpenAisTypesAndCodes(@TempDir Path dir) throws Exception {
        try (TroupeServer server = TroupeServer.builder()
                .port(0)
                .journal(Journal.h2(dir.resolve("journal")))
                .modelDirectory(modelDir())
                .limits(new ServerLimits(64 * 1024, 4096))
                .token(TOKEN)
                .start()) {
            HttpClient http = HttpClient.newHttpClient();
            URI base = server.uri();

            JsonNode unknownPath = openAiError(send(http, HttpRequest.newBuilder(base.resolve("/v1/embedings"))), 404);
            assertThat(unknownPath.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(unknownPath.path("code").asText()).isEqualTo("unknown_url");
            assertThat(unknownPath.path("param").isNull()).isTrue();
            assertThat(unknownPath.path("message").asText())
                    .isEqualTo("Invalid URL (GET /v1/embedings): this server offers GET /v1/models, GET"
                            + " /v1/models/{id} and POST /v1/chat/completions");

            HttpResponse<String> getCompletions =
                    send(http, HttpRequest.newBuilder(base.resolve("/v1/chat/completions")));
            JsonNode wrongMethod = openAiError(getCompletions, 405);
            assertThat(wrongMethod.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(wrongMethod.path("code").asText()).isEqualTo("method_not_allowed");
            assertThat(wrongMethod.path("message").asText())
                    .isEqualTo("Invalid method (GET /v1/chat/completions): it takes POST");
            assertThat(getCompletions.headers().firstValue("Allow")).hasValue("POST");
            JsonNode postModels = openAiError(
                    send(
                            http,
                            HttpRequest.newBuilder(base.resolve("/v1/models"))
                                    .POST(HttpRequest.BodyPublishers.ofString("{}"))),
                    405);
            assertThat(postModels.path("message").asText()).isEqualTo("Invalid method (POST /v1/models): it takes GET");

            JsonNode unknownModel =
                    openAiError(send(http, HttpRequest.newBuilder(base.resolve("/v1/models/gpt-9"))), 404);
            assertThat(unknownModel.path("code").asText()).isEqualTo("model_not_found");
            assertThat(unknownModel.path("param").asText()).isEqualTo("model");

            // A JSON reply cut off by max_tokens: the error names the model, not where the server keeps it.
            JsonNode cutOff = openAiError(
                    send(
                            http,
                            HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"stories260K\","
                                            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                                            + "\"response_format\":{\"type\":\"json_object\"},\"max_tokens\":3}"))),
                    400);
            assertThat(cutOff.path("message").asText())
                    .startsWith("Model stories260K.gguf stopped before its JSON reply was complete")
                    .doesNotContain(modelDir().toString());

            String big = "{\"model\":\"stories260K\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + "x".repeat(100 * 1024) + "\"}]}";
            JsonNode tooLarge = openAiError(
                    send(
                            http,
                            HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(big))),
                    413);
            assertThat(tooLarge.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(tooLarge.path("code").asText()).isEqualTo("request_too_large");
            assertThat(tooLarge.path("message").asText())
                    .isEqualTo("The request body is larger than 65536 bytes (64 KiB), this server's limit; shorten the"
                            + " messages");
            // Sent whole before the answer is read (15 MiB, more than the socket buffers hold), or after 100 Continue:
            // the client reads the 413, not a connection reset.
            for (RawHttp.Framing framing : RawHttp.Framing.values()) {
                RawHttp.Answer answer = RawHttp.post(
                        base.resolve("/v1/chat/completions"),
                        Map.of("Content-Type", "application/json", "Authorization", "Bearer " + TOKEN),
                        15L << 20,
                        framing);
                assertThat(answer.status()).as(framing + ": " + answer.body()).isEqualTo(413);
                JsonNode error = answer.json().path("error");
                assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
                assertThat(error.path("code").asText()).isEqualTo("request_too_large");
                assertThat(error.path("message").asText())
                        .isEqualTo(tooLarge.path("message").asText());
            }

            // Refused before the route: no token, and what Jetty refuses before Javalin sees the request.
            HttpResponse<String> anonymous = http.send(
                    HttpRequest.newBuilder(base.resolve("/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode noToken = openAiError(anonymous, 401);
            assertThat(noToken.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(noToken.path("code").asText()).isEqualTo("unauthorized");
            assertThat(noToken.path("message").asText()).contains("Authorization: Bearer");
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
            JsonNode headersTooLarge = openAiError(
                    RawHttp.exchange(
                            base,
                            "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "y".repeat(20_000)
                                    + "\r\nConnection: close\r\n\r\n"),
                    431);
            assertThat(headersTooLarge.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(headersTooLarge.path("code").asText()).isEqualTo("headers_too_large");
            assertThat(headersTooLarge.path("param").isNull()).isTrue();
            // A URI too long to read: Jetty refuses it before it knows the path, so the error has the fields of both
            // the OpenAI API's and the REST API's shapes.
            RawHttp.Answer longUri = RawHttp.exchange(
                    base,
                    "GET /v1/models/" + "x".repeat(100_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection:"
                            + " close\r\n\r\n");
            JsonNode uriTooLong = openAiError(longUri, 414);
            assertThat(uriTooLong.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(uriTooLong.path("code").asText()).isEqualTo("uri_too_long");
            assertThat(uriTooLong.path("status").asInt()).isEqualTo(414);
        }
    }

    @Test
    void aClientThatLeavesBeforeItsAnswer_stopsTheGeneration_plainAndStreamed(@TempDir Path dir) throws Exception {
        // A model that answers only when the test says: each call is a future the server waits on.
        BlockingQueue<CompletableFuture<ModelResponse>> calls = new LinkedBlockingQueue<>();
        List<CompletableFuture<ModelResponse>> all = new java.util.concurrent.CopyOnWriteArrayList<>();
        LanguageModel held = (request, tokens) -> {
            CompletableFuture<ModelResponse> call = new CompletableFuture<>();
            all.add(call);
            calls.add(call);
            return call;
        };
        ServedModels models = new ServedModels() {
            @Override
            public List<String> ids() {
                return List.of("held");
            }

            @Override
            public Optional<LanguageModel> model(String id, Sampling sampling) {
                return id.equals("held") ? Optional.of(held) : Optional.empty();
            }
        };
        try (TroupeServer server = TroupeServer.builder()
                .port(0)
                .journal(Journal.h2(dir.resolve("journal")))
                .servedModels(models)
                .start()) {
            try {
                for (boolean stream : List.of(false, true)) {
                    byte[] body = ("{\"model\":\"held\",\"stream\":" + stream
                                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}]}")
                            .getBytes(StandardCharsets.UTF_8);
                    CompletableFuture<ModelResponse> call;
                    try (Socket client =
                            new Socket(server.uri().getHost(), server.uri().getPort())) {
                        client.getOutputStream()
                                .write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type:"
                                                + " application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                                        .getBytes(StandardCharsets.US_ASCII));
                        client.getOutputStream().write(body);
                        client.getOutputStream().flush();
                        call = calls.poll(1, TimeUnit.MINUTES);
                        assertThat(call).as("the model was called").isNotNull();
                    } // the client leaves before the answer
                    await().alias("stream " + stream + ": the generation is stopped when its client leaves")
                            .atMost(Duration.ofSeconds(30))
                            .until(call::isDone);
                    assertThat(call.isCancelled()).as("stream " + stream).isTrue();
                }
                // A client that stays gets its answer, on a connection it keeps for the next request.
                HttpClient http = HttpClient.newHttpClient();
                for (String text : List.of("The end.", "The end, again.")) {
                    CompletableFuture<HttpResponse<String>> answer = http.sendAsync(
                            HttpRequest.newBuilder(server.uri().resolve("/v1/chat/completions"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"held\",\"messages\":"
                                            + "[{\"role\":\"user\",\"content\":\"Once upon a time\"}]}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    CompletableFuture<ModelResponse> call = calls.poll(1, TimeUnit.MINUTES);
                    assertThat(call).as("the model was called").isNotNull();
                    call.complete(ModelResponse.text(text, Usage.of(5, 3)));
                    HttpResponse<String> response = answer.get(1, TimeUnit.MINUTES);
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                    assertThat(Json.MAPPER
                                    .readTree(response.body())
                                    .path("choices")
                                    .path(0)
                                    .path("message")
                                    .path("content")
                                    .asText())
                            .isEqualTo(text);
                }
            } finally {
                all.forEach(call -> call.cancel(true)); // a server that kept waiting can stop
            }
        }
    }

    @Test
    void aPromptOverTheModelsContext_isRefusedWithContextLengthExceeded_plainAndStreamed(@TempDir Path dir)
            throws Exception {
        try (TroupeServer server = TroupeServer.builder()
                .port(0)
                .journal(Journal.h2(dir.resolve("journal")))
                .modelDirectory(modelDir())
                .start()) {
            HttpClient http = HttpClient.newHttpClient();
            URI base = server.uri();
            // A prompt the model's context cannot hold, plain or streamed: refused before anything is generated.
            String story = "Once upon a time there was a little dog who liked to run in the park. ".repeat(120);
            for (String stream : List.of("false", "true")) {
                JsonNode tooLong = openAiError(
                        send(
                                http,
                                HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"model\":\"stories260K\",\"stream\":" + stream
                                                        + ",\"messages\":[{\"role\":\"user\",\"content\":\""
                                                        + story + "\"}]}"))),
                        400);
                assertThat(tooLong.path("type").asText()).isEqualTo("invalid_request_error");
                assertThat(tooLong.path("code").asText()).isEqualTo("context_length_exceeded");
                assertThat(tooLong.path("param").asText()).isEqualTo("messages");
                java.util.regex.Matcher message = java.util.regex.Pattern.compile(
                                "This model's maximum context length is 2048 tokens, prompt and answer together\\."
                                        + " However, your messages resulted in (\\d+) tokens, which leaves no room for"
                                        + " an answer\\. Please reduce the length of the messages\\.")
                        .matcher(tooLong.path("message").asText());
                assertThat(message.matches()).as(tooLong.toString()).isTrue();
                assertThat(Integer.parseInt(message.group(1))).isGreaterThan(2048);
            }
        }
    }
}
