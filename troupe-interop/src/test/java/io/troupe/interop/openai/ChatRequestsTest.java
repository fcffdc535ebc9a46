package io.troupe.interop.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ToolCall;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatRequestsTest {
    private final ObjectMapper json = new ObjectMapper();

    private ChatRequests.Read read(String body) throws Exception {
        return ChatRequests.read(json.readTree(body));
    }

    @Test
    void read_mapsMessagesToolsAndSampling() throws Exception {
        ChatRequests.Read read = read("""
                {"model": "stories260K", "stream": true, "stream_options": {"include_usage": true},
                 "temperature": 0.5, "seed": 7, "max_tokens": 32, "stop": "END",
                 "messages": [
                   {"role": "system", "content": "Be brief."},
                   {"role": "user", "content": [{"type": "text", "text": "Time in "}, {"type": "text", "text": "Oslo?"}]},
                   {"role": "assistant", "content": null,
                    "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "clock", "arguments": "{}"}}]},
                   {"role": "tool", "tool_call_id": "c1", "content": "12:00"}],
                 "tools": [{"type": "function", "function": {"name": "clock", "description": "The time",
                            "parameters": {"type": "object", "properties": {}}}}]}""");
        assertThat(read.model()).isEqualTo("stories260K");
        assertThat(read.stream()).isTrue();
        assertThat(read.includeUsage()).isTrue();
        assertThat(read.sampling()).isEqualTo(new ServedModels.Sampling(0.5, 7, 32, List.of("END")));
        assertThat(read.request().maxOutputTokens()).isEqualTo(32);
        assertThat(read.request().messages())
                .containsExactly(
                        new ChatMessage.System("Be brief."),
                        new ChatMessage.User("Time in Oslo?"),
                        new ChatMessage.Assistant("", List.of(new ToolCall("c1", "clock", "{}"))),
                        new ChatMessage.ToolOutput("c1", "clock", "12:00", false));
        assertThat(read.request().tools())
                .singleElement()
                .satisfies(tool -> assertThat(tool.name()).isEqualTo("clock"));
    }

    @Test
    void read_responseFormats_becomeTheResponseSchema() throws Exception {
        String base = "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], ";
        assertThat(read(base + "\"response_format\": {\"type\": \"json_object\"}}")
                        .request()
                        .responseSchema())
                .isEqualTo("{\"type\":\"object\"}");
        assertThat(read(base + "\"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"x\","
                                + " \"schema\": {\"type\": \"array\"}}}}")
                        .request()
                        .responseSchema())
                .isEqualTo("{\"type\":\"array\"}");
        assertThat(read(base + "\"tool_choice\": \"none\", \"tools\": [{\"type\": \"function\", \"function\":"
                                + " {\"name\": \"t\"}}]}")
                        .request()
                        .tools())
                .isEmpty();
    }

    @Test
    void read_refusesWhatItCannotHonour_namingTheParameter() {
        assertThatThrownBy(() -> read("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"))
                .isInstanceOfSatisfying(
                        OpenAiError.class, e -> assertThat(e.param()).isEqualTo("model"));
        assertThatThrownBy(() -> read(
                        "{\"model\": \"m\", \"n\": 2, \"messages\": [{\"role\": \"user\"," + " \"content\": \"hi\"}]}"))
                .isInstanceOfSatisfying(
                        OpenAiError.class, e -> assertThat(e.param()).isEqualTo("n"));
        assertThatThrownBy(() -> read("{\"model\": \"m\", \"tool_choice\": \"required\", \"messages\": [{\"role\":"
                        + " \"user\", \"content\": \"hi\"}]}"))
                .isInstanceOfSatisfying(
                        OpenAiError.class, e -> assertThat(e.getMessage()).contains("\"auto\""));
        assertThatThrownBy(() -> read("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\":"
                        + " [{\"type\": \"image_url\", \"image_url\": {\"url\": \"x\"}}]}]}"))
                .isInstanceOfSatisfying(
                        OpenAiError.class, e -> assertThat(e.param()).isEqualTo("messages[0].content"));
        assertThatThrownBy(() -> read("{\"model\": \"m\", \"messages\": [{\"role\": \"robot\", \"content\": \"x\"}]}"))
                .isInstanceOfSatisfying(
                        OpenAiError.class, e -> assertThat(e.param()).isEqualTo("messages[0].role"));
        assertThatThrownBy(() -> read("{\"model\": \"m\", \"temperature\": \"hot\", \"messages\": [{\"role\":"
                        + " \"user\", \"content\": \"x\"}]}"))
                .isInstanceOfSatisfying(
                        OpenAiError.class, e -> assertThat(e.param()).isEqualTo("temperature"));
        assertThatThrownBy(() -> read("{\"model\": \"m\", \"max_tokens\": 0, \"messages\": [{\"role\": \"user\","
                        + " \"content\": \"x\"}]}"))
                .isInstanceOfSatisfying(
                        OpenAiError.class, e -> assertThat(e.param()).isEqualTo("max_tokens"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"n\": \"abc\"                           | n",
                "\"stream\": \"yes\"                      | stream",
                "\"stream_options\": {\"include_usage\": 1} | stream_options.include_usage",
                "\"stop\": [1, {\"a\": 2}]                 | stop",
                "\"stop\": 5                              | stop",
            })
    void read_refusesAValueOfTheWrongType_insteadOfReadingItAsSomethingElse(String field, String param) {
        assertThatThrownBy(() -> read(
                        "{\"model\": \"m\", " + field + ", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}"))
                .isInstanceOfSatisfying(
                        OpenAiError.class, e -> assertThat(e.param()).isEqualTo(param));
    }

    @Test
    void read_anAssistantToolCallsArgumentsGivenAsAnObject_keepsThem() throws Exception {
        ChatRequests.Read read = read("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"},"
                + " {\"role\": \"assistant\", \"content\": null, \"tool_calls\": [{\"id\": \"c1\", \"type\": \"function\","
                + " \"function\": {\"name\": \"f\", \"arguments\": {\"a\": 1}}}]},"
                + " {\"role\": \"tool\", \"tool_call_id\": \"c1\", \"content\": \"done\"}]}");
        assertThat(((ChatMessage.Assistant) read.request().messages().get(1))
                        .toolCalls()
                        .getFirst()
                        .arguments())
                .isEqualTo("{\"a\":1}");
    }
}
