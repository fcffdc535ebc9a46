package io.troupe.guard.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.guard.Direction;
import io.troupe.guard.Finding;
import io.troupe.guard.GuardContext;
import io.troupe.guard.Guardrail;
import io.troupe.guard.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks the arguments of tools that declare sinks, before the tool runs: each declared argument (a top-level
 * property name, or a JSON pointer such as {@code /query/sql}) goes through its {@link SinkCheck}; every string in
 * the arguments also goes through the {@link AnsiCheck}. Any violation blocks the call, with all violations as
 * the reason, so the model can repair its arguments. Arguments that are not a JSON object are blocked. Thread-safe.
 */
public final class SinkGuardrail implements Guardrail {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AnsiCheck ANSI = new AnsiCheck();

    private final Map<String, Map<String, SinkCheck>> sinksByTool;

    /** A guardrail for tools whose arguments reach sinks: tool name → argument (name or JSON pointer) → check. */
    public SinkGuardrail(Map<String, Map<String, SinkCheck>> sinksByTool) {
        this.sinksByTool = Map.copyOf(sinksByTool);
    }

    @Override
    public String name() {
        return "sinks";
    }

    @Override
    public boolean appliesTo(Direction direction) {
        return direction == Direction.TOOL_ARGUMENTS;
    }

    @Override
    public Verdict check(String arguments, GuardContext context) {
        JsonNode root;
        try {
            root = JSON.readTree(arguments);
        } catch (java.io.IOException e) {
            return new Verdict.Block(
                    "the arguments of tool '" + context.toolName() + "' are not valid JSON",
                    List.of(new Finding(name(), "sink.invalid-json", "arguments do not parse", 1)));
        }
        if (root == null || !root.isObject()) {
            return new Verdict.Block(
                    "the arguments of tool '" + context.toolName() + "' must be a JSON object",
                    List.of(new Finding(name(), "sink.invalid-json", "arguments are not an object", 1)));
        }
        List<Finding> findings = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        Map<String, SinkCheck> sinks = sinksByTool.getOrDefault(context.toolName(), Map.of());
        for (Map.Entry<String, SinkCheck> sink : sinks.entrySet()) {
            String pointer = sink.getKey().startsWith("/") ? sink.getKey() : "/" + sink.getKey();
            JsonNode value = root.at(pointer);
            if (value.isMissingNode() || value.isNull()) {
                continue;
            }
            String text = value.isTextual() ? value.asText() : value.toString();
            for (Violation violation : sink.getValue().check(text)) {
                findings.add(new Finding(name(), violation.code(), sink.getKey() + ": " + violation.message(), 1));
                reasons.add(sink.getKey() + " (" + sink.getValue().sink() + "): " + violation.message());
            }
        }
        List<String> strings = new ArrayList<>();
        collectStrings(root, "", strings);
        for (String entry : strings) {
            int split = entry.indexOf('\u0000');
            String where = entry.substring(0, split);
            for (Violation violation : ANSI.check(entry.substring(split + 1))) {
                findings.add(new Finding(name(), violation.code(), where + ": " + violation.message(), 1));
                reasons.add(where + " (terminal): " + violation.message());
            }
        }
        if (reasons.isEmpty()) {
            return Verdict.pass();
        }
        return new Verdict.Block(
                "the arguments of tool '" + context.toolName() + "' are unsafe: " + String.join("; ", reasons),
                findings);
    }

    private static void collectStrings(JsonNode node, String path, List<String> into) {
        if (node.isTextual()) {
            into.add((path.isEmpty() ? "/" : path) + '\u0000' + node.asText());
        } else if (node.isObject()) {
            node.properties().forEach(e -> collectStrings(e.getValue(), path + "/" + e.getKey(), into));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectStrings(node.get(i), path + "/" + i, into);
            }
        }
    }
}
