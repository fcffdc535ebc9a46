package io.troupe.config;

import io.troupe.config.YamlTree.ListNode;
import io.troupe.config.YamlTree.Node;
import io.troupe.config.YamlTree.Scalar;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reads the values that the guardrail readers share: lists of names, and values that turn a guardrail off.
 * Every mistake is reported at its node. Not thread-safe.
 */
final class GuardrailFields {
    private final Checker check;
    /** The tools the guardrails name, checked once every tool of the spec is known ({@link ToolsReader#checkNamed}). */
    private final List<ToolsReader.Named> tools = new ArrayList<>();

    GuardrailFields(Checker check) {
        this.check = check;
    }

    /** The names of tools in {@code list}, each checked as {@code what}, and kept to be checked against the tools. */
    List<String> toolNames(@Nullable ListNode list, String what) {
        List<String> names = new ArrayList<>();
        if (list != null) {
            for (Node item : list.items()) {
                String name = check.nameItem(item, what);
                if (name != null) {
                    names.add(name);
                    tool(item.pos(), name, what);
                }
            }
        }
        return names;
    }

    /** Keeps {@code name}, a tool that a guardrail names at {@code pos}, to be checked against the tools. */
    void tool(YamlTree.Pos pos, String name, String what) {
        tools.add(new ToolsReader.Named(pos, name, what));
    }

    /** The tools the guardrails name. */
    List<ToolsReader.Named> tools() {
        return tools;
    }

    /** The names in {@code list}, each checked as {@code what}; empty when the list is absent. */
    List<String> names(@Nullable ListNode list, String what) {
        List<String> names = new ArrayList<>();
        if (list != null) {
            for (Node item : list.items()) {
                String name = check.nameItem(item, what);
                if (name != null) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** Whether a value says "off": {@code off}, {@code false}, {@code none} or {@code no}. */
    static boolean isOff(Node value) {
        return value instanceof Scalar scalar
                && switch (scalar.text().toLowerCase(Locale.ROOT)) {
                    case "off", "false", "none", "no" -> true;
                    default -> false;
                };
    }
}
