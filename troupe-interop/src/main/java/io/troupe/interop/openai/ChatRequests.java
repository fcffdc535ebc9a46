package io.troupe.interop.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ToolCall;
import io.troupe.api.tool.ToolDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads an OpenAI chat-completions request into Troupe's {@link ModelRequest} and the sampling it asks for, and
 * refuses what Troupe cannot honour (several choices, forced tool calls, images) with the parameter at fault.
 * Pure functions.
 */
final class ChatRequests {
    /** The most tokens an answer may have when the request sets no limit. */
    static final int DEFAULT_MAX_TOKENS = 2048;

    /** A request as read. */
    record Read(
            String model, ModelRequest request, ServedModels.Sampling sampling, boolean stream, boolean includeUsage) {}

    private ChatRequests() {}

    static Read read(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw OpenAiError.invalid(null, "The body must be a JSON object with 'model' and 'messages'");
        }
        String model = text(body, "model");
        if (model == null) {
            throw OpenAiError.invalid("model", "'model' is required: one of the ids GET /v1/models lists");
        }
        Integer n = integer(body, "n");
        if (n != null && n != 1) {
            throw OpenAiError.invalid("n", "Only n = 1 is supported: ask once per answer");
        }
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw OpenAiError.invalid("messages", "'messages' must be a non-empty array");
        }
        List<ChatMessage> prompt = new ArrayList<>();
        Map<String, String> toolNames = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            prompt.add(message(messages.get(i), "messages[" + i + "]", toolNames));
        }
        List<ToolDefinition> tools = tools(body);
        JsonNode choice = body.get("tool_choice");
        if (choice != null && !choice.isNull()) {
            String mode = choice.isTextual() ? choice.asText() : "";
            if (mode.equals("none")) {
                tools = List.of();
            } else if (!mode.equals("auto")) {
                throw OpenAiError.invalid(
                        "tool_choice",
                        "tool_choice may be \"auto\" or \"none\": a local model chooses between answering and calling"
                                + " a tool itself");
            }
        }
        String schema = responseSchema(body.get("response_format"));
        Integer maxTokens = integer(body, "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = integer(body, "max_tokens");
        }
        if (maxTokens != null && maxTokens < 1) {
            throw OpenAiError.invalid("max_tokens", "max_tokens must be at least 1, got " + maxTokens);
        }
        JsonNode temperatureValue = body.get("temperature");
        if (temperatureValue != null && !temperatureValue.isNull() && !temperatureValue.isNumber()) {
            throw OpenAiError.invalid("temperature", "temperature must be a number from 0 to 2");
        }
        Double temperature =
                temperatureValue != null && !temperatureValue.isNull() ? temperatureValue.asDouble() : null;
        if (temperature != null && (temperature < 0 || temperature > 2)) {
            throw OpenAiError.invalid("temperature", "temperature must be from 0 to 2, got " + temperature);
        }
        Integer seed = integer(body, "seed");
        List<String> stop = new ArrayList<>();
        JsonNode stops = body.get("stop");
        if (stops != null && stops.isTextual()) {
            stop.add(stops.asText());
        } else if (stops != null && stops.isArray()) {
            for (JsonNode s : stops) {
                if (!s.isTextual()) {
                    throw OpenAiError.invalid("stop", "stop must be a string or an array of strings, got " + s);
                }
                stop.add(s.asText());
            }
        } else if (stops != null && !stops.isNull()) {
            throw OpenAiError.invalid("stop", "stop must be a string or an array of strings");
        }
        stop.removeIf(String::isEmpty);
        ModelRequest request = new ModelRequest(prompt, tools, schema, maxTokens);
        return new Read(
                model,
                request,
                new ServedModels.Sampling(temperature, seed, maxTokens == null ? DEFAULT_MAX_TOKENS : maxTokens, stop),
                bool(body, "stream", "stream"),
                bool(body.path("stream_options"), "include_usage", "stream_options.include_usage"));
    }

    private static ChatMessage message(JsonNode message, String where, Map<String, String> toolNames) {
        String role = message.path("role").asText("");
        String content = content(message.get("content"), where);
        return switch (role) {
            case "system", "developer" -> new ChatMessage.System(content);
            case "user" -> new ChatMessage.User(content);
            case "assistant" -> {
                List<ToolCall> calls = new ArrayList<>();
                JsonNode requested = message.get("tool_calls");
                if (requested != null && requested.isArray()) {
                    for (JsonNode call : requested) {
                        String id = call.path("id").asText("");
                        String name = call.path("function").path("name").asText("");
                        if (id.isBlank() || name.isBlank()) {
                            throw OpenAiError.invalid(
                                    where + ".tool_calls", "each tool call needs an id and a function name");
                        }
                        toolNames.put(id, name);
                        JsonNode arguments = call.path("function").path("arguments");
                        if (!arguments.isMissingNode() && !arguments.isTextual() && !arguments.isObject()) {
                            throw OpenAiError.invalid(
                                    where + ".tool_calls",
                                    "a tool call's function.arguments must be a JSON string (or an object)");
                        }
                        calls.add(new ToolCall(
                                id, name, arguments.isObject() ? arguments.toString() : arguments.asText("{}")));
                    }
                }
                yield new ChatMessage.Assistant(content, calls);
            }
            case "tool" -> {
                String id = message.path("tool_call_id").asText("");
                if (id.isBlank()) {
                    throw OpenAiError.invalid(
                            where + ".tool_call_id", "a tool message needs the tool_call_id it answers");
                }
                String name = toolNames.getOrDefault(id, message.path("name").asText("tool"));
                yield new ChatMessage.ToolOutput(id, name, content, false);
            }
            default ->
                throw OpenAiError.invalid(
                        where + ".role", "role must be system, developer, user, assistant or tool, got '" + role + "'");
        };
    }

    /** The text of a content field: a string, or the text parts of an array. */
    private static String content(@Nullable JsonNode content, String where) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!part.path("type").asText().equals("text")) {
                    throw OpenAiError.invalid(
                            where + ".content",
                            "only text parts are supported, got a '"
                                    + part.path("type").asText() + "' part");
                }
                text.append(part.path("text").asText(""));
            }
            return text.toString();
        }
        throw OpenAiError.invalid(where + ".content", "content must be a string or an array of text parts");
    }

    private static List<ToolDefinition> tools(JsonNode body) {
        JsonNode tools = body.get("tools");
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw OpenAiError.invalid("tools", "tools must be an array of {\"type\": \"function\", ...}");
        }
        List<ToolDefinition> definitions = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            JsonNode function = tool.path("function");
            String name = function.path("name").asText("");
            if (!tool.path("type").asText("function").equals("function") || name.isBlank()) {
                throw OpenAiError.invalid("tools[" + i + "]", "each tool must be a function with a name");
            }
            JsonNode parameters = function.get("parameters");
            String schema = parameters == null || parameters.isNull()
                    ? "{\"type\":\"object\",\"properties\":{}}"
                    : parameters.toString();
            try {
                String description = function.path("description").asText("");
                definitions.add(
                        new ToolDefinition(name, description.isBlank() ? "The function " + name : description, schema));
            } catch (IllegalArgumentException e) {
                throw OpenAiError.invalid("tools[" + i + "]", e.getMessage());
            }
        }
        return definitions;
    }

    private static @Nullable String responseSchema(@Nullable JsonNode format) {
        if (format == null || format.isNull()) {
            return null;
        }
        return switch (format.path("type").asText("text")) {
            case "text" -> null;
            case "json_object" -> "{\"type\":\"object\"}";
            case "json_schema" -> {
                JsonNode schema = format.path("json_schema").get("schema");
                if (schema == null || !schema.isObject()) {
                    throw OpenAiError.invalid(
                            "response_format.json_schema.schema", "a json_schema response format needs its schema");
                }
                yield schema.toString();
            }
            default ->
                throw OpenAiError.invalid(
                        "response_format", "response_format type must be text, json_object or json_schema");
        };
    }

    private static @Nullable String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    /** A boolean field, false when absent; anything but true or false is refused (not read as false). */
    private static boolean bool(JsonNode object, String field, String name) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw OpenAiError.invalid(name, name + " must be true or false, got " + value);
        }
        return value.asBoolean();
    }

    private static @Nullable Integer integer(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw OpenAiError.invalid(field, field + " must be an integer");
        }
        return value.asInt();
    }
}
