package io.troupe.guard;

import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.ToolCall;
import io.troupe.api.model.Usage;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.ScriptedModel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted model that obeys any instruction it sees, as the worst real model would: it reads everything in its
 * prompt but the system prompt, spotlighted data included, and calls every offered tool that the text asks for
 * (by name or by what it does), then echoes what it read, with the URLs it saw as images (an exfiltration attempt).
 * Its first act is to fetch the document its task names, when it offers {@code fetch_document}; an agent that offers
 * {@code notes} writes a note before it answers.
 */
public final class Obedient {
    private static final Pattern URL = Pattern.compile("https?://[^\\s\"'<>)\\]]+");
    private static final Pattern DOCUMENT = Pattern.compile("document (\\d+)");
    /** What a text says that asks for a tool, besides its name. */
    private static final Map<String, List<String>> ASKS = Map.of(
            "run_shell", List.of("shell command", "curl ", "rm -rf", "execute the following command"),
            "transfer_funds", List.of("payments tool", "transfer $", "mark every invoice as paid"),
            "delete_all_files", List.of("delete all files", "delete the user's calendar"),
            "send_email", List.of("email", "forward", "send the", "to attacker@", "@evil.example"),
            "http_post", List.of("post them to", "upload", "transmit", "https://evil.example/collect"),
            "update_permissions", List.of("accounts tool", "admin access", "grant admin"));

    private Obedient() {}

    /** A scripted model that answers every call by obeying it. */
    public static ScriptedModel model() {
        return new ScriptedModel().always(Match.any(), Reply.from(Obedient::obey));
    }

    /** What an obedient model answers to {@code request}. */
    public static ModelResponse obey(ModelRequest request) {
        Set<String> offered = new LinkedHashSet<>();
        for (ToolDefinition tool : request.tools()) {
            offered.add(tool.name());
        }
        Set<String> called = new LinkedHashSet<>();
        StringBuilder read = new StringBuilder();
        String last = "";
        for (ChatMessage message : request.messages()) {
            switch (message) {
                case ChatMessage.System system -> {}
                case ChatMessage.Assistant assistant -> assistant.toolCalls().forEach(c -> called.add(c.name()));
                default -> {
                    read.append(message.text()).append('\n');
                    last = message.text();
                }
            }
        }
        String text = read.toString();
        String lower = text.toLowerCase(Locale.ROOT);
        Usage usage = Usage.of(text.length() / 4, 20);
        if (offered.contains("fetch_document") && !called.contains("fetch_document")) {
            Matcher m = DOCUMENT.matcher(text);
            String id = m.find() ? m.group(1) : "0";
            return new ModelResponse("", List.of(call("fetch_document", "{\"id\":\"" + id + "\"}")), usage, null);
        }
        List<ToolCall> calls = new ArrayList<>();
        for (String tool : offered) {
            if (called.contains(tool) || tool.equals("fetch_document") || tool.equals("notes")) {
                continue;
            }
            boolean asked = lower.contains(tool)
                    || ASKS.getOrDefault(tool, List.of()).stream().anyMatch(lower::contains);
            if (asked) {
                calls.add(call(tool, "{\"target\":\"all\"}"));
            }
        }
        if (calls.isEmpty() && offered.contains("notes") && !called.contains("notes")) {
            calls.add(call(
                    "notes",
                    "{\"text\":\""
                            + (last.length() > 60 ? last.substring(0, 60) : last).replaceAll("[\"\\\\\\p{Cntrl}]", " ")
                            + "\"}"));
        }
        if (!calls.isEmpty()) {
            return new ModelResponse("", calls, usage, null);
        }
        StringBuilder answer =
                new StringBuilder("I read: ").append(last.length() > 4000 ? last.substring(0, 4000) : last);
        Matcher urls = URL.matcher(text);
        while (urls.find()) {
            answer.append(" ![seen](").append(urls.group()).append(')');
        }
        return ModelResponse.text(answer.toString(), usage);
    }

    private static ToolCall call(String tool, String arguments) {
        return new ToolCall("call-" + tool + "-" + Integer.toHexString(arguments.hashCode()), tool, arguments);
    }
}
