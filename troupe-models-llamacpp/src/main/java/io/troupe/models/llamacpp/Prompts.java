package io.troupe.models.llamacpp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ToolCall;
import io.troupe.api.tool.ToolDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Turns a {@link ModelRequest} into the prompt text a local model reads.
 *
 * <ul>
 *   <li>A model whose GGUF file carries a chat template gets its own format, through llama.cpp's template code.
 *   <li>A model without one (a plain completion model such as stories260K) gets the text of a request that is just
 *       one user message verbatim, so that "Once upon a time" continues the story; anything richer becomes a plain
 *       transcript ({@code System:}, {@code User:}, {@code Assistant:} paragraphs, ending with {@code Assistant:}),
 *       and generation stops when the model starts the next {@code User:} turn.
 * </ul>
 *
 * <p>Tool results become user turns ({@code Tool result (name, id): text}) and earlier tool calls become the JSON
 * objects the model is asked to write, because generic templates know no tool roles.
 */
final class Prompts {
    /** Stop strings for the transcript format: the model must not write the user's next turn. */
    static final List<String> TRANSCRIPT_STOPS = List.of("\nUser:", "\nSystem:");

    /** How the transcript format continues after an answer: the user's next turn, on which generation stops. */
    static final String TURN_END = "\n\nUser:";

    private Prompts() {}

    /**
     * The prompt and whether it is a transcript.
     *
     * @param applyTemplate renders chat-template messages JSON; null when the model has no chat template
     */
    static Prompt build(ModelRequest request, @Nullable Function<String, String> applyTemplate) {
        List<String[]> turns = turns(request);
        if (applyTemplate != null) {
            ArrayNode messages = GrammarSchemas.JSON.createArrayNode();
            for (String[] turn : turns) {
                messages.addObject().put("role", turn[0]).put("content", turn[1]);
            }
            ObjectNode body = GrammarSchemas.JSON.createObjectNode();
            body.set("messages", messages);
            return new Prompt(applyTemplate.apply(body.toString()), false);
        }
        if (turns.size() == 1 && turns.getFirst()[0].equals("user")) {
            return new Prompt(turns.getFirst()[1], false);
        }
        StringBuilder text = new StringBuilder();
        for (String[] turn : turns) {
            String label = switch (turn[0]) {
                case "system" -> "System";
                case "assistant" -> "Assistant";
                default -> "User";
            };
            text.append(label).append(": ").append(turn[1].strip()).append("\n\n");
        }
        return new Prompt(text.append("Assistant:").toString(), true);
    }

    /** Role and content of each turn, with the tool instructions folded into the system turn. */
    private static List<String[]> turns(ModelRequest request) {
        List<String[]> turns = new ArrayList<>();
        String system = request.systemText();
        if (!request.tools().isEmpty()) {
            system = (system.isEmpty() ? "" : system + "\n\n") + toolInstructions(request.tools());
        }
        if (!system.isEmpty()) {
            turns.add(new String[] {"system", system});
        }
        for (ChatMessage message : request.messages()) {
            switch (message) {
                case ChatMessage.System ignored -> {}
                case ChatMessage.User user -> turns.add(new String[] {"user", user.text()});
                case ChatMessage.Assistant assistant -> turns.add(new String[] {"assistant", assistantText(assistant)});
                case ChatMessage.ToolOutput output ->
                    turns.add(new String[] {
                        "user",
                        (output.error() ? "Tool error (" : "Tool result (") + output.toolName() + ", "
                                + output.toolCallId() + "): " + output.text()
                    });
            }
        }
        return turns;
    }

    private static String assistantText(ChatMessage.Assistant assistant) {
        if (assistant.toolCalls().isEmpty()) {
            return assistant.text();
        }
        StringBuilder text = new StringBuilder(assistant.text());
        for (ToolCall call : assistant.toolCalls()) {
            ObjectNode json = GrammarSchemas.JSON.createObjectNode().put("tool", call.name());
            try {
                json.set("arguments", GrammarSchemas.JSON.readTree(call.arguments()));
            } catch (java.io.IOException e) {
                json.put("arguments", call.arguments());
            }
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(json);
        }
        return text.toString();
    }

    /**
     * The text a model generates for {@code answer} to {@code request}: with tools, the JSON envelope the tool grammar
     * constrains output to ({@code {"tool":…,"arguments":…}} for a call, {@code {"answer":…}} for a final answer);
     * otherwise the answer's text.
     *
     * @throws IllegalArgumentException if the answer calls more than one tool, which a local model's grammar cannot
     *     express
     */
    static String answerText(ModelRequest request, ChatMessage.Assistant answer) {
        if (request.tools().isEmpty()) {
            return answer.text();
        }
        if (answer.toolCalls().size() > 1) {
            throw new IllegalArgumentException(
                    "the answer calls " + answer.toolCalls().size()
                            + " tools at once; a local model's tool grammar produces one call per answer");
        }
        ObjectNode json = GrammarSchemas.JSON.createObjectNode();
        if (answer.toolCalls().isEmpty()) {
            if (request.responseSchema() != null) {
                try {
                    json.set("answer", GrammarSchemas.JSON.readTree(answer.text()));
                } catch (java.io.IOException e) {
                    json.put("answer", answer.text());
                }
            } else {
                json.put("answer", answer.text());
            }
            return json.toString();
        }
        ToolCall call = answer.toolCalls().getFirst();
        json.put("tool", call.name());
        try {
            json.set("arguments", GrammarSchemas.JSON.readTree(call.arguments()));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(
                    "the arguments of tool call " + call.id() + " are not JSON: " + call.arguments());
        }
        return json.toString();
    }

    static String toolInstructions(List<ToolDefinition> tools) {
        StringBuilder text = new StringBuilder("You can call these tools:\n");
        for (ToolDefinition tool : tools) {
            text.append("- ")
                    .append(tool.name())
                    .append(": ")
                    .append(tool.description())
                    .append("\n  arguments (JSON schema): ")
                    .append(tool.parametersSchema().strip())
                    .append('\n');
        }
        return text.append("Reply with exactly one JSON object: {\"tool\": \"<tool name>\", \"arguments\": {...}} to")
                .append(" call a tool, or {\"answer\": ...} with your final answer.")
                .toString();
    }

    /** A prompt ready for llama.cpp. */
    record Prompt(String text, boolean transcript) {}
}
