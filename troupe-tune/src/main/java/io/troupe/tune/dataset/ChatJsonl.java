package io.troupe.tune.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.api.ConfigurationException;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ToolCall;
import io.troupe.api.tool.ToolDefinition;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chat examples as JSON Lines in the OpenAI fine-tuning format: one {@code {"messages": [...], "tools": [...]}} per
 * line, with {@code system}, {@code user}, {@code assistant} (text and {@code tool_calls}) and {@code tool} messages.
 * Earlier assistant turns carry {@code "weight": 0}: each was the answer of an earlier model call, with an example of
 * its own, so only the final answer is trained.
 */
public final class ChatJsonl {
    static final ObjectMapper JSON = new ObjectMapper();

    private ChatJsonl() {}

    /** One line of JSON for {@code example}. */
    public static ObjectNode toJson(ChatExample example) {
        ObjectNode line = JSON.createObjectNode();
        ArrayNode messages = line.putArray("messages");
        int last = example.messages().size() - 1;
        for (int i = 0; i <= last; i++) {
            ChatMessage message = example.messages().get(i);
            ObjectNode node = messages.addObject();
            switch (message) {
                case ChatMessage.System system -> node.put("role", "system").put("content", system.text());
                case ChatMessage.User user -> node.put("role", "user").put("content", user.text());
                case ChatMessage.Assistant assistant -> {
                    node.put("role", "assistant");
                    if (assistant.text().isEmpty() && !assistant.toolCalls().isEmpty()) {
                        node.putNull("content");
                    } else {
                        node.put("content", assistant.text());
                    }
                    if (!assistant.toolCalls().isEmpty()) {
                        ArrayNode calls = node.putArray("tool_calls");
                        for (ToolCall call : assistant.toolCalls()) {
                            ObjectNode c =
                                    calls.addObject().put("id", call.id()).put("type", "function");
                            c.putObject("function").put("name", call.name()).put("arguments", call.arguments());
                        }
                    }
                    if (i < last) {
                        node.put("weight", 0);
                    }
                }
                case ChatMessage.ToolOutput output ->
                    node.put("role", "tool")
                            .put("tool_call_id", output.toolCallId())
                            .put("content", output.text());
            }
        }
        if (!example.tools().isEmpty()) {
            ArrayNode tools = line.putArray("tools");
            for (ToolDefinition tool : example.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", tool.name()).put("description", tool.description());
                try {
                    function.set("parameters", JSON.readTree(tool.parametersSchema()));
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException("tool " + tool.name() + " has a schema that is not JSON", e);
                }
            }
        }
        return line;
    }

    /** Writes {@code examples} to {@code file}, one per line. */
    public static void write(List<ChatExample> examples, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (ChatExample example : examples) {
                    out.write(toJson(example).toString());
                    out.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write dataset " + file, e);
        }
    }

    /**
     * Reads a JSONL dataset.
     *
     * @throws ConfigurationException naming {@code file:line} and the problem for every malformed line (up to 20)
     */
    public static List<ChatExample> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException("Cannot read dataset " + file + ": " + e.getMessage());
        }
        List<ChatExample> examples = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            if (text.isBlank()) {
                continue;
            }
            try {
                examples.add(parse(JSON.readTree(text)));
            } catch (JsonProcessingException e) {
                problems.add(file + ":" + (i + 1) + ": not valid JSON (" + e.getOriginalMessage() + ")");
            } catch (IllegalArgumentException e) {
                problems.add(file + ":" + (i + 1) + ": " + e.getMessage());
            }
            if (problems.size() >= 20) {
                problems.add("… (stopped after 20 problems)");
                break;
            }
        }
        ConfigurationException.throwIfAny("Dataset " + file + " is not in the OpenAI chat format", problems);
        return examples;
    }

    static ChatExample parse(JsonNode line) {
        JsonNode messages = line.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw new IllegalArgumentException("\"messages\" must be a non-empty array");
        }
        List<ChatMessage> parsed = new ArrayList<>();
        Map<String, String> toolNames = new HashMap<>();
        int index = 0;
        for (JsonNode message : messages) {
            index++;
            String role = message.path("role").asText("");
            String content = content(message.path("content"), index);
            switch (role) {
                case "system", "developer" -> parsed.add(new ChatMessage.System(content));
                case "user" -> parsed.add(new ChatMessage.User(content));
                case "assistant" -> {
                    List<ToolCall> calls = new ArrayList<>();
                    for (JsonNode call : message.path("tool_calls")) {
                        JsonNode function = call.path("function");
                        String id = call.path("id").asText("call-" + (calls.size() + 1));
                        String name = function.path("name").asText("");
                        if (name.isEmpty()) {
                            throw new IllegalArgumentException("message " + index + " has a tool call without a name");
                        }
                        JsonNode arguments = function.path("arguments");
                        calls.add(new ToolCall(
                                id, name, arguments.isTextual() ? arguments.asText() : arguments.toString()));
                        toolNames.put(id, name);
                    }
                    if (content.isEmpty() && calls.isEmpty()) {
                        throw new IllegalArgumentException(
                                "message " + index + " is an assistant turn with neither" + " content nor tool_calls");
                    }
                    parsed.add(new ChatMessage.Assistant(content, calls));
                }
                case "tool" -> {
                    String id = message.path("tool_call_id").asText("");
                    if (id.isEmpty()) {
                        throw new IllegalArgumentException(
                                "message " + index + " is a tool result without" + " tool_call_id");
                    }
                    parsed.add(new ChatMessage.ToolOutput(id, toolNames.getOrDefault(id, "tool"), content, false));
                }
                default ->
                    throw new IllegalArgumentException(
                            "message " + index + " has role '" + role + "'; expected system, user, assistant or tool");
            }
        }
        if (!(parsed.getLast() instanceof ChatMessage.Assistant)) {
            throw new IllegalArgumentException("the last message must be the assistant's answer");
        }
        if (parsed.size() < 2) {
            throw new IllegalArgumentException("an example needs a prompt before the assistant's answer");
        }
        List<ToolDefinition> tools = new ArrayList<>();
        for (JsonNode tool : line.path("tools")) {
            JsonNode function = tool.path("function");
            String name = function.path("name").asText("");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a tool has no function name");
            }
            JsonNode parameters = function.path("parameters");
            tools.add(new ToolDefinition(
                    name,
                    function.path("description").asText(""),
                    parameters.isMissingNode() ? ToolDefinition.NO_PARAMETERS : parameters.toString()));
        }
        return new ChatExample(parsed, tools, null, null);
    }

    private static String content(JsonNode content, int index) {
        if (content.isMissingNode() || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                text.append(part.path("text").asText(""));
            }
            return text.toString();
        }
        throw new IllegalArgumentException("message " + index + " has content that is neither text nor parts");
    }
}
