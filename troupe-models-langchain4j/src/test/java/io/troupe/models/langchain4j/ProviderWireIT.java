package io.troupe.models.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import io.troupe.api.model.ToolCall;
import io.troupe.api.model.Usage;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.models.langchain4j.WireServer.Recorded;
import io.troupe.models.langchain4j.WireServer.Reply;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Each adapter against a loopback server that speaks its provider's wire format: what goes out, field by field, and
 * how the reply comes back as a {@link ModelResponse}.
 */
class ProviderWireIT {
    static final String KEY = "sk-test-secret-0123456789";

    static final String WEATHER_SCHEMA = """
            {"type":"object","properties":{\
            "city":{"type":"string","description":"City name"},\
            "unit":{"type":"string","enum":["C","F"]},\
            "days":{"type":"integer","minimum":1,"description":"Forecast length"}},\
            "required":["city"],"additionalProperties":false}""";

    static final String VERDICT_SCHEMA = """
            {"title":"Verdict","type":"object","properties":{\
            "answer":{"type":"string"},"confidence":{"type":"number"}},\
            "required":["answer","confidence"],"additionalProperties":false}""";

    static final ToolDefinition WEATHER =
            new ToolDefinition("get_weather", "Current weather for a city", WEATHER_SCHEMA);

    /** A conversation that has every kind of message: system, user, an earlier tool call and its output. */
    static final List<ChatMessage> CONVERSATION = List.of(
            new ChatMessage.System("You are terse."),
            new ChatMessage.User("Weather in Paris?"),
            new ChatMessage.Assistant("", List.of(new ToolCall("call_prev", "lookup", "{\"q\":\"paris\"}"))),
            new ChatMessage.ToolOutput("call_prev", "lookup", "sunny", false));

    static final ModelRequest TOOL_REQUEST = new ModelRequest(CONVERSATION, List.of(WEATHER), null);
    static final ModelRequest STRUCTURED_REQUEST =
            new ModelRequest(List.of(new ChatMessage.User("Is it sunny?")), List.of(), VERDICT_SCHEMA);
    static final ModelRequest PLAIN_REQUEST = ModelRequest.of(List.of(new ChatMessage.User("Say hello")));

    static ApiKey key(String variable) {
        return ApiKey.fromEnv(variable, Map.of(variable, KEY)::get);
    }

    /**
     * The tool schema as it reaches every provider. LangChain4j 1.11 renders a tool's root object from its own
     * fields and leaves out the root {@code additionalProperties} (nested schemas keep theirs); Troupe's runtime
     * validates the arguments against the full schema, so extra properties still come back to the model as an error.
     */
    static JsonNode weatherSchemaOnTheWire() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode schema =
                (com.fasterxml.jackson.databind.node.ObjectNode) json(WEATHER_SCHEMA);
        schema.remove("additionalProperties");
        return schema;
    }

    static JsonNode json(String text) throws Exception {
        return WireServer.JSON.readTree(text);
    }

    static ModelResponse await(java.util.concurrent.CompletionStage<ModelResponse> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A sink that keeps every token in order. */
    static final class Tokens implements TokenSink {
        final List<String> received = new CopyOnWriteArrayList<>();

        @Override
        public void onToken(String token) {
            received.add(token);
        }
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

    @Nested
    @DisplayName("OpenAiCompatible over /v1/chat/completions")
    class OpenAi {
        LanguageModel model() {
            return OpenAiCompatible.builder()
                    .baseUrl(server.url("/v1"))
                    .apiKey(key("TEST_OPENAI_KEY"))
                    .model("gpt-test")
                    .prices(PriceTable.of("gpt-test", ModelPrice.of("2.50", "10.00")))
                    .build();
        }

        @Test
        void blockingChat_sendsMessagesAndTools_mapsToolCallsAndPricedUsage() throws Exception {
            server.reply(Reply.json("""
                    {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-test",
                     "choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
                       "tool_calls":[{"id":"call_abc","type":"function","function":{"name":"get_weather",
                         "arguments":"{\\"city\\": \\"Paris\\",  \\"unit\\":\\"C\\"}"}}]}}],
                     "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}"""));

            ModelResponse response = await(model().generate(TOOL_REQUEST));

            Recorded request = server.onlyRequest();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/v1/chat/completions");
            assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
            assertThat(request.body()).as("a compact body (ProviderJson)").doesNotContain("\n");
            JsonNode body = request.json();
            assertThat(body.get("model").asText()).isEqualTo("gpt-test");
            assertThat(body.path("stream").asBoolean(false)).isFalse();
            JsonNode messages = body.get("messages");
            assertThat(messages).hasSize(4);
            assertThat(messages.get(0).get("role").asText()).isEqualTo("system");
            assertThat(messages.get(0).get("content").asText()).isEqualTo("You are terse.");
            assertThat(messages.get(1).get("role").asText()).isEqualTo("user");
            assertThat(messages.get(1).get("content").asText()).isEqualTo("Weather in Paris?");
            assertThat(messages.get(2).get("role").asText()).isEqualTo("assistant");
            JsonNode previousCall = messages.get(2).get("tool_calls").get(0);
            assertThat(previousCall.get("id").asText()).isEqualTo("call_prev");
            assertThat(previousCall.get("type").asText()).isEqualTo("function");
            assertThat(previousCall.get("function").get("name").asText()).isEqualTo("lookup");
            assertThat(previousCall.get("function").get("arguments").asText()).isEqualTo("{\"q\":\"paris\"}");
            assertThat(messages.get(3).get("role").asText()).isEqualTo("tool");
            assertThat(messages.get(3).get("tool_call_id").asText()).isEqualTo("call_prev");
            assertThat(messages.get(3).get("content").asText()).isEqualTo("sunny");
            JsonNode tool = body.get("tools").get(0);
            assertThat(tool.get("type").asText()).isEqualTo("function");
            assertThat(tool.get("function").get("name").asText()).isEqualTo("get_weather");
            assertThat(tool.get("function").get("description").asText()).isEqualTo("Current weather for a city");
            assertThat(tool.get("function").get("parameters")).isEqualTo(weatherSchemaOnTheWire());
            assertThat(body.has("response_format")).isFalse();

            assertThat(response.text()).isEmpty();
            assertThat(response.toolCalls())
                    .containsExactly(new ToolCall("call_abc", "get_weather", "{\"city\": \"Paris\",  \"unit\":\"C\"}"));
            assertThat(response.usage()).isEqualTo(new Usage(12, 5, new BigDecimal("0.00008")));
        }

        @Test
        void generate_returnsAtOnce_andCompletesWhenTheServerAnswers() throws Exception {
            java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
            server.reply(Reply.json("""
                                    {"id":"c","object":"chat.completion","created":1,"model":"gpt-test",
                                     "choices":[{"index":0,"finish_reason":"stop",
                                       "message":{"role":"assistant","content":"late"}}]}""").after(gate));

            java.util.concurrent.CompletableFuture<ModelResponse> pending =
                    model().generate(PLAIN_REQUEST).toCompletableFuture();

            assertThat(pending).isNotDone();
            gate.countDown();
            assertThat(await(pending).text()).isEqualTo("late");
            // No usage in the answer: Troupe's estimate, so that budgets still count the call.
            assertThat(await(pending).usage().inputTokens()).isEqualTo(PLAIN_REQUEST.estimatedTokens());
            assertThat(await(pending).usage().outputTokens()).isEqualTo(1); // "late": about four characters a token
        }

        @Test
        void responseSchema_isSentAsJsonSchemaResponseFormat() throws Exception {
            server.reply(Reply.json("""
                    {"id":"chatcmpl-2","object":"chat.completion","created":1,"model":"gpt-test",
                     "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant",
                       "content":"{\\"answer\\":\\"yes\\",\\"confidence\\":0.9}"}}],
                     "usage":{"prompt_tokens":7,"completion_tokens":9,"total_tokens":16}}"""));

            ModelResponse response = await(model().generate(STRUCTURED_REQUEST));

            JsonNode format = server.onlyRequest().json().get("response_format");
            assertThat(format.get("type").asText()).isEqualTo("json_schema");
            assertThat(format.get("json_schema").get("name").asText()).isEqualTo("Verdict");
            assertThat(format.get("json_schema").get("schema")).isEqualTo(json(VERDICT_SCHEMA));
            assertThat(response.text()).isEqualTo("{\"answer\":\"yes\",\"confidence\":0.9}");
            assertThat(response.toolCalls()).isEmpty();
            assertThat(response.usage().inputTokens()).isEqualTo(7);
            assertThat(response.usage().outputTokens()).isEqualTo(9);
        }

        @Test
        void streaming_sendsStreamFlag_tokensConcatenateToText() throws Exception {
            String chunk = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":%s,\"finish_reason\":%s}]}";
            server.reply(Reply.sse(
                    chunk.formatted("{\"role\":\"assistant\",\"content\":\"\"}", "null"),
                    chunk.formatted("{\"content\":\"Hel\"}", "null"),
                    chunk.formatted("{\"content\":\"lo\"}", "null"),
                    chunk.formatted("{\"content\":\" world\"}", "null"),
                    chunk.formatted("{}", "\"stop\""),
                    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-test\","
                            + "\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,"
                            + "\"total_tokens\":12}}",
                    "data: [DONE]"));
            Tokens tokens = new Tokens();

            ModelResponse response = await(model().generate(PLAIN_REQUEST, tokens));

            Recorded request = server.onlyRequest();
            assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
            assertThat(request.json().get("stream").asBoolean()).isTrue();
            assertThat(tokens.received).containsExactly("Hel", "lo", " world");
            assertThat(String.join("", tokens.received))
                    .isEqualTo(response.text())
                    .isEqualTo("Hello world");
            assertThat(response.usage()).isEqualTo(new Usage(9, 3, new BigDecimal("0.0000525")));
        }

        @Test
        void streaming_assemblesToolCallArgumentsUnchanged() throws Exception {
            String chunk = "data: {\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                    + "\"model\":\"gpt-test\",\"choices\":[{\"index\":0,\"delta\":%s,\"finish_reason\":%s}]}";
            server.reply(Reply.sse(
                    chunk.formatted(
                            "{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_s1\",\"type\":"
                                    + "\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}",
                            "null"),
                    chunk.formatted(
                            "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}", "null"),
                    chunk.formatted(
                            "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"  \\\"Oslo\\\"}\"}}]}",
                            "null"),
                    chunk.formatted("{}", "\"tool_calls\""),
                    "data: [DONE]"));
            Tokens tokens = new Tokens();

            ModelResponse response = await(model().generate(TOOL_REQUEST, tokens));

            assertThat(server.onlyRequest()
                            .json()
                            .get("tools")
                            .get(0)
                            .get("function")
                            .get("name")
                            .asText())
                    .isEqualTo("get_weather");
            assertThat(tokens.received).isEmpty();
            assertThat(response.toolCalls())
                    .containsExactly(new ToolCall("call_s1", "get_weather", "{\"city\":  \"Oslo\"}"));
        }
    }

    @Nested
    @DisplayName("Anthropic over /v1/messages")
    class AnthropicMessages {
        LanguageModel model() {
            return Anthropic.builder()
                    .baseUrl(server.url("/v1/"))
                    .apiKey(key("TEST_ANTHROPIC_KEY"))
                    .model("claude-test")
                    .prices(PriceTable.of("claude-test", ModelPrice.of("3", "15")))
                    .build();
        }

        @Test
        void blockingChat_sendsSystemMessagesAndTools_mapsTextAndToolUse() throws Exception {
            server.reply(Reply.json("""
                    {"id":"msg_1","type":"message","role":"assistant","model":"claude-test",
                     "content":[{"type":"text","text":"Let me check."},
                                {"type":"tool_use","id":"toolu_01","name":"get_weather",
                                 "input":{"city":"Paris","unit":"C"}}],
                     "stop_reason":"tool_use","stop_sequence":null,
                     "usage":{"input_tokens":20,"output_tokens":7}}"""));

            ModelResponse response = await(model().generate(TOOL_REQUEST));

            Recorded request = server.onlyRequest();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/v1/messages");
            assertThat(request.header("x-api-key")).isEqualTo(KEY);
            assertThat(request.header("anthropic-version")).isNotBlank();
            assertThat(request.header("Authorization")).isNull();
            assertThat(request.body()).as("a compact body (ProviderJson)").doesNotContain("\n");
            JsonNode body = request.json();
            assertThat(body.get("model").asText()).isEqualTo("claude-test");
            assertThat(body.get("max_tokens").asInt()).isEqualTo(Anthropic.DEFAULT_MAX_OUTPUT_TOKENS);
            assertThat(body.path("stream").asBoolean(false)).isFalse();
            assertThat(body.get("system").toString()).contains("You are terse.");
            JsonNode messages = body.get("messages");
            assertThat(messages).hasSize(3);
            assertThat(messages.get(0).get("role").asText()).isEqualTo("user");
            assertThat(messages.get(0).get("content").get(0).get("text").asText())
                    .isEqualTo("Weather in Paris?");
            assertThat(messages.get(1).get("role").asText()).isEqualTo("assistant");
            JsonNode toolUse = messages.get(1).get("content").get(0);
            assertThat(toolUse.get("type").asText()).isEqualTo("tool_use");
            assertThat(toolUse.get("id").asText()).isEqualTo("call_prev");
            assertThat(toolUse.get("name").asText()).isEqualTo("lookup");
            assertThat(toolUse.get("input")).isEqualTo(json("{\"q\":\"paris\"}"));
            assertThat(messages.get(2).get("role").asText()).isEqualTo("user");
            JsonNode toolResult = messages.get(2).get("content").get(0);
            assertThat(toolResult.get("type").asText()).isEqualTo("tool_result");
            assertThat(toolResult.get("tool_use_id").asText()).isEqualTo("call_prev");
            assertThat(toolResult.get("content").toString()).contains("sunny");
            JsonNode tool = body.get("tools").get(0);
            assertThat(tool.get("name").asText()).isEqualTo("get_weather");
            assertThat(tool.get("description").asText()).isEqualTo("Current weather for a city");
            assertThat(tool.get("input_schema")).isEqualTo(weatherSchemaOnTheWire());

            assertThat(response.text()).isEqualTo("Let me check.");
            assertThat(response.toolCalls()).hasSize(1);
            ToolCall call = response.toolCalls().getFirst();
            assertThat(call.id()).isEqualTo("toolu_01");
            assertThat(call.name()).isEqualTo("get_weather");
            // A non-streamed tool_use carries its input as a JSON object, not a string, so there is no raw text to
            // keep: LangChain4j 1.11 re-serializes it (pretty-printed) and Troupe passes that string on unchanged.
            // Streamed input_json_delta pieces, by contrast, arrive as text and stay byte for byte (see below).
            assertThat(json(call.arguments())).isEqualTo(json("{\"city\":\"Paris\",\"unit\":\"C\"}"));
            assertThat(response.usage()).isEqualTo(new Usage(20, 7, new BigDecimal("0.000165")));
        }

        @Test
        void responseSchema_isSentAsOutputConfigFormat() throws Exception {
            server.reply(Reply.json("""
                    {"id":"msg_2","type":"message","role":"assistant","model":"claude-test",
                     "content":[{"type":"text","text":"{\\"answer\\":\\"no\\",\\"confidence\\":0.2}"}],
                     "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":6}}"""));

            ModelResponse response = await(model().generate(STRUCTURED_REQUEST));

            JsonNode format = server.onlyRequest().json().get("output_config").get("format");
            assertThat(format.get("type").asText()).isEqualTo("json_schema");
            assertThat(format.get("schema")).isEqualTo(json(VERDICT_SCHEMA));
            assertThat(response.text()).isEqualTo("{\"answer\":\"no\",\"confidence\":0.2}");
        }

        @Test
        void streaming_eventsBecomeTokensAndToolUse() throws Exception {
            server.reply(Reply.sse(
                    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_3\","
                            + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-test\",\"content\":[],"
                            + "\"stop_reason\":null,\"usage\":{\"input_tokens\":15,\"output_tokens\":1}}}",
                    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                            + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                    delta(0, "{\"type\":\"text_delta\",\"text\":\"Hel\"}"),
                    delta(0, "{\"type\":\"text_delta\",\"text\":\"lo\"}"),
                    delta(0, "{\"type\":\"text_delta\",\"text\":\" world\"}"),
                    "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}",
                    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,"
                            + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_02\",\"name\":\"get_weather\","
                            + "\"input\":{}}}",
                    delta(1, "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \"}"),
                    delta(1, "{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Rome\\\"}\"}"),
                    "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}",
                    "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
                            + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":11}}",
                    "event: message_stop\ndata: {\"type\":\"message_stop\"}"));
            Tokens tokens = new Tokens();

            ModelResponse response = await(model().generate(TOOL_REQUEST, tokens));

            Recorded request = server.onlyRequest();
            assertThat(request.header("x-api-key")).isEqualTo(KEY);
            assertThat(request.json().get("stream").asBoolean()).isTrue();
            assertThat(tokens.received).containsExactly("Hel", "lo", " world");
            assertThat(String.join("", tokens.received))
                    .isEqualTo(response.text())
                    .isEqualTo("Hello world");
            assertThat(response.toolCalls())
                    .containsExactly(new ToolCall("toolu_02", "get_weather", "{\"city\": \"Rome\"}"));
            assertThat(response.usage().inputTokens()).isEqualTo(15);
            assertThat(response.usage().outputTokens()).isEqualTo(11);
        }

        private static String delta(int index, String delta) {
            return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":" + index
                    + ",\"delta\":" + delta + "}";
        }
    }

    @Nested
    @DisplayName("Ollama over /api/chat")
    class OllamaChat {
        LanguageModel model() {
            return Ollama.builder().baseUrl(server.url("")).model("llama-test").build();
        }

        @Test
        void blockingChat_sendsMessagesAndTools_numbersToolCalls() throws Exception {
            server.reply(Reply.json("""
                    {"model":"llama-test","created_at":"2025-01-01T00:00:00Z",
                     "message":{"role":"assistant","content":"",
                       "tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris","unit":"C"}}},
                                     {"function":{"name":"get_weather","arguments":{"city":"Lyon"}}}]},
                     "done":true,"done_reason":"stop","prompt_eval_count":30,"eval_count":8}"""));

            ModelResponse response = await(model().generate(TOOL_REQUEST));

            Recorded request = server.onlyRequest();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/api/chat");
            assertThat(request.header("Authorization")).isNull();
            JsonNode body = request.json();
            assertThat(body.get("model").asText()).isEqualTo("llama-test");
            assertThat(body.get("stream").asBoolean()).isFalse();
            JsonNode messages = body.get("messages");
            assertThat(messages).hasSize(4);
            assertThat(messages.get(0).get("role").asText()).isEqualTo("system");
            assertThat(messages.get(0).get("content").asText()).isEqualTo("You are terse.");
            assertThat(messages.get(1).get("role").asText()).isEqualTo("user");
            assertThat(messages.get(1).get("content").asText()).isEqualTo("Weather in Paris?");
            assertThat(messages.get(2).get("role").asText()).isEqualTo("assistant");
            JsonNode previousCall = messages.get(2).get("tool_calls").get(0).get("function");
            assertThat(previousCall.get("name").asText()).isEqualTo("lookup");
            assertThat(previousCall.get("arguments")).isEqualTo(json("{\"q\":\"paris\"}"));
            assertThat(messages.get(3).get("role").asText()).isEqualTo("tool");
            assertThat(messages.get(3).get("content").asText()).isEqualTo("sunny");
            JsonNode tool = body.get("tools").get(0);
            assertThat(tool.get("type").asText()).isEqualTo("function");
            assertThat(tool.get("function").get("name").asText()).isEqualTo("get_weather");
            assertThat(tool.get("function").get("description").asText()).isEqualTo("Current weather for a city");
            assertThat(tool.get("function").get("parameters")).isEqualTo(weatherSchemaOnTheWire());

            assertThat(response.text()).isEmpty();
            // Ollama sends no call ids (Troupe numbers them) and arguments as objects (LangChain4j serializes them).
            assertThat(response.toolCalls())
                    .containsExactly(
                            new ToolCall("call_0", "get_weather", "{\"city\":\"Paris\",\"unit\":\"C\"}"),
                            new ToolCall("call_1", "get_weather", "{\"city\":\"Lyon\"}"));
            assertThat(response.usage()).isEqualTo(Usage.of(30, 8));
        }

        @Test
        void responseSchema_isSentAsFormat() throws Exception {
            server.reply(Reply.json("""
                    {"model":"llama-test","created_at":"2025-01-01T00:00:00Z",
                     "message":{"role":"assistant","content":"{\\"answer\\":\\"yes\\",\\"confidence\\":1}"},
                     "done":true,"done_reason":"stop","prompt_eval_count":4,"eval_count":5}"""));

            ModelResponse response = await(model().generate(STRUCTURED_REQUEST));

            assertThat(server.onlyRequest().json().get("format")).isEqualTo(json(VERDICT_SCHEMA));
            assertThat(response.text()).isEqualTo("{\"answer\":\"yes\",\"confidence\":1}");
        }

        @Test
        void streaming_ndjsonLinesBecomeTokens() throws Exception {
            String line = "{\"model\":\"llama-test\",\"created_at\":\"2025-01-01T00:00:00Z\","
                    + "\"message\":{\"role\":\"assistant\",\"content\":%s},\"done\":false}";
            server.reply(Reply.ndjson(
                    line.formatted("\"Hel\""),
                    line.formatted("\"lo\""),
                    line.formatted("\" world\""),
                    "{\"model\":\"llama-test\",\"created_at\":\"2025-01-01T00:00:00Z\",\"message\":{\"role\":"
                            + "\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\","
                            + "\"prompt_eval_count\":10,\"eval_count\":3}"));
            Tokens tokens = new Tokens();

            ModelResponse response = await(model().generate(PLAIN_REQUEST, tokens));

            assertThat(server.onlyRequest().json().get("stream").asBoolean()).isTrue();
            assertThat(tokens.received).containsExactly("Hel", "lo", " world");
            assertThat(String.join("", tokens.received))
                    .isEqualTo(response.text())
                    .isEqualTo("Hello world");
            assertThat(response.usage()).isEqualTo(Usage.of(10, 3));
        }

        @Test
        void apiKey_isSentAsBearerToken() throws Exception {
            server.reply(Reply.json("""
                    {"model":"llama-test","created_at":"2025-01-01T00:00:00Z",
                     "message":{"role":"assistant","content":"hi"},"done":true,"done_reason":"stop",
                     "prompt_eval_count":1,"eval_count":1}"""));
            LanguageModel model = Ollama.builder()
                    .baseUrl(server.url(""))
                    .apiKey(key("TEST_OLLAMA_KEY"))
                    .model("llama-test")
                    .build();

            assertThat(await(model.generate(PLAIN_REQUEST)).text()).isEqualTo("hi");
            assertThat(server.onlyRequest().header("Authorization")).isEqualTo("Bearer " + KEY);
        }
    }
}
