package io.troupe.interop.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.model.Usage;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Writes a model's answer in the OpenAI chat API's JSON, the counterpart of {@link ChatRequests}: the {@code
 * chat.completion} of a plain answer, the {@code chat.completion.chunk}s of a streamed one, the assistant's tool calls
 * (each with a new {@code call_} id, and indexed in a stream), why the answer ended ({@code finish_reason}) and its
 * usage. Stateless and thread-safe.
 */
final class ChatResponses {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatResponses() {}

    /**
     * The {@code chat.completion} answering {@code read} with {@code response}: one choice, the assistant's message
     * (its content null when it only calls tools), and the usage.
     *
     * @param contextSize the model's context window, when known: an answer that fills it was cut off
     */
    static ObjectNode completion(
            String id, long created, ChatRequests.Read read, ModelResponse response, OptionalInt contextSize) {
        ObjectNode completion = JSON.createObjectNode();
        completion.put("id", id);
        completion.put("object", "chat.completion");
        completion.put("created", created);
        completion.put("model", read.model());
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (response.hasToolCalls() && response.text().isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", response.text());
        }
        if (response.hasToolCalls()) {
            toolCalls(message.putArray("tool_calls"), response.toolCalls(), false);
        }
        choice.put("finish_reason", finishReason(response, read, contextSize));
        completion.set("usage", usage(response.usage()));
        return completion;
    }

    /** A {@code chat.completion.chunk} of the stream {@code id}, its {@code choices} still empty. */
    static ObjectNode chunk(String id, long created, String model) {
        ObjectNode chunk = JSON.createObjectNode();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        chunk.putArray("choices");
        return chunk;
    }

    /**
     * Adds the one choice to {@code chunk} and returns the choice's {@code delta}, empty for the caller to fill.
     *
     * @param finishReason why the answer ended, or null while it goes on
     */
    static ObjectNode delta(ObjectNode chunk, @Nullable String finishReason) {
        return chunk.withArray("choices")
                .addObject()
                .put("index", 0)
                .put("finish_reason", finishReason)
                .putObject("delta");
    }

    /** Adds {@code calls} to {@code array}, with their position in {@code index} when {@code indexed} (a stream). */
    static void toolCalls(ArrayNode array, List<ToolCall> calls, boolean indexed) {
        for (int i = 0; i < calls.size(); i++) {
            ToolCall call = calls.get(i);
            ObjectNode node = array.addObject();
            if (indexed) {
                node.put("index", i);
            }
            node.put(
                    "id",
                    "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24));
            node.put("type", "function");
            node.putObject("function").put("name", call.name()).put("arguments", call.arguments());
        }
    }

    /**
     * Why the answer ended: tool calls, or {@code length} when it reached the request's {@code max_tokens} or filled
     * the model's context (llama.cpp stops there; it leaves one token of room), or {@code stop}.
     */
    static String finishReason(ModelResponse response, ChatRequests.Read read, OptionalInt contextSize) {
        if (response.hasToolCalls()) {
            return "tool_calls";
        }
        Integer limit = read.sampling().maxTokens();
        Usage usage = response.usage();
        boolean full =
                contextSize.isPresent() && usage.inputTokens() + usage.outputTokens() >= contextSize.getAsInt() - 1;
        return full || (limit != null && usage.outputTokens() >= limit) ? "length" : "stop";
    }

    /** The {@code usage} object: prompt, completion and total tokens. */
    static ObjectNode usage(Usage usage) {
        ObjectNode node = JSON.createObjectNode();
        node.put("prompt_tokens", usage.inputTokens());
        node.put("completion_tokens", usage.outputTokens());
        node.put("total_tokens", usage.totalTokens());
        return node;
    }
}
