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

    GuardrailFields(Checker check) {
        this.check = check;
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
