package io.troupe.models.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.model.Usage;
import io.troupe.api.tool.ToolDefinition;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Maps Troupe's request and response records to LangChain4j's and back. Stateless. */
final class Conversions {
    /** The schema name sent with a structured-output request when the schema has no usable {@code title}. */
    static final String DEFAULT_SCHEMA_NAME = "response";

    private Conversions() {}

    /**
     * The LangChain4j request for {@code request}.
     *
     * @throws IllegalArgumentException if a tool's parameters schema or the response schema cannot be converted
     */
    /**
     * The answer limit to send with {@code request}: the output limit the run's budget leaves, within the model's own
     * limit. With no limit configured for the model, the budget's is sent only while it is below {@link
     * #SAFE_OUTPUT_LIMIT}, which every current chat model accepts; above it the provider's default applies, as a
     * larger {@code max_tokens} than a model supports is refused with a 400.
     */
    static @Nullable Integer outputLimit(ModelRequest request, @Nullable Integer modelLimit) {
        Integer budget = request.maxOutputTokens();
        if (budget == null) {
            return null;
        }
        if (modelLimit != null) {
            return Math.min(budget, modelLimit);
        }
        return budget < SAFE_OUTPUT_LIMIT ? budget : null;
    }

    /** An answer limit every current chat model accepts. */
    static final int SAFE_OUTPUT_LIMIT = 4096;

    static ChatRequest toChatRequest(ModelRequest request) {
        return toChatRequest(request, null);
    }

    static ChatRequest toChatRequest(ModelRequest request, @Nullable Integer modelLimit) {
        List<dev.langchain4j.data.message.ChatMessage> messages = new ArrayList<>();
        for (ChatMessage message : request.messages()) {
            messages.add(toLangChain4j(message));
        }
        ChatRequest.Builder builder = ChatRequest.builder().messages(messages);
        Integer limit = outputLimit(request, modelLimit);
        if (limit != null) {
            builder.maxOutputTokens(limit);
        }
        if (!request.tools().isEmpty()) {
            List<ToolSpecification> tools = new ArrayList<>();
            for (ToolDefinition tool : request.tools()) {
                tools.add(toToolSpecification(tool));
            }
            builder.toolSpecifications(tools);
        }
        String schema = request.responseSchema();
        if (schema != null) {
            String name = JsonSchemas.title(schema);
            builder.responseFormat(ResponseFormat.builder()
                    .type(ResponseFormatType.JSON)
                    .jsonSchema(JsonSchema.builder()
                            .name(name == null ? DEFAULT_SCHEMA_NAME : name)
                            .rootElement(JsonSchemas.element(schema, "ModelRequest responseSchema"))
                            .build())
                    .build());
        }
        return builder.build();
    }

    static ToolSpecification toToolSpecification(ToolDefinition tool) {
        return ToolSpecification.builder()
                .name(tool.name())
                .description(tool.description())
                .parameters(JsonSchemas.parameters(
                        tool.parametersSchema(), "parametersSchema of tool '" + tool.name() + "'"))
                .build();
    }

    private static dev.langchain4j.data.message.ChatMessage toLangChain4j(ChatMessage message) {
        return switch (message) {
            case ChatMessage.System system -> SystemMessage.from(system.text());
            case ChatMessage.User user -> UserMessage.from(user.text());
            case ChatMessage.Assistant assistant -> {
                List<ToolExecutionRequest> calls = new ArrayList<>();
                for (ToolCall call : assistant.toolCalls()) {
                    calls.add(ToolExecutionRequest.builder()
                            .id(call.id())
                            .name(call.name())
                            .arguments(call.arguments())
                            .build());
                }
                yield AiMessage.builder()
                        .text(assistant.text().isEmpty() && !calls.isEmpty() ? null : assistant.text())
                        .toolExecutionRequests(calls)
                        .build();
            }
            case ChatMessage.ToolOutput output ->
                ToolExecutionResultMessage.builder()
                        .id(output.toolCallId())
                        .toolName(output.toolName())
                        .text(output.text())
                        .isError(output.error())
                        .build();
        };
    }

    /**
     * The Troupe response for {@code response}: text, tool calls with their ids and argument strings exactly as
     * LangChain4j received them, and usage priced from {@code prices}. A count the server did not report (some
     * OpenAI-compatible servers ignore {@code stream_options.include_usage}) is Troupe's estimate instead of zero, so
     * that budgets and costs still count the call: the request's {@link ModelRequest#estimatedTokens()} for its input,
     * about four characters a token for its output.
     */
    static ModelResponse toModelResponse(ChatResponse response, ModelRequest request, String model, PriceTable prices) {
        AiMessage message = response.aiMessage();
        String text = message == null || message.text() == null ? "" : message.text();
        List<ToolCall> calls = new ArrayList<>();
        if (message != null && message.hasToolExecutionRequests()) {
            List<ToolExecutionRequest> requests = message.toolExecutionRequests();
            for (int i = 0; i < requests.size(); i++) {
                ToolExecutionRequest call = requests.get(i);
                calls.add(new ToolCall(
                        callId(call.id(), i), call.name(), call.arguments() == null ? "" : call.arguments()));
            }
        }
        TokenUsage tokens = response.tokenUsage();
        Integer input = tokens == null ? null : tokens.inputTokenCount();
        Integer output = tokens == null ? null : tokens.outputTokenCount();
        return new ModelResponse(
                text,
                calls,
                prices.usage(
                        model,
                        input != null ? input : request.estimatedTokens(),
                        output != null ? output : estimatedOutputTokens(text, calls)));
    }

    private static long estimatedOutputTokens(String text, List<ToolCall> calls) {
        long characters = text.length();
        for (ToolCall call : calls) {
            characters += call.name().length() + call.arguments().length();
        }
        return Usage.estimateTokens(characters);
    }

    /** Ollama sends no tool-call ids; Troupe needs one to pair each call with its output, so it numbers them. */
    private static String callId(@Nullable String id, int index) {
        return id == null || id.isBlank() ? "call_" + index : id;
    }
}
