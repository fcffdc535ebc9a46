package io.troupe.config;

import io.troupe.config.YamlTree.Field;
import io.troupe.config.YamlTree.Kind;
import io.troupe.config.YamlTree.ListNode;
import io.troupe.config.YamlTree.MapNode;
import io.troupe.config.YamlTree.Node;
import io.troupe.config.YamlTree.Pos;
import io.troupe.config.YamlTree.Scalar;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Replaces {@code ${VAR}} references in every string value of a spec with the variable's value; {@code $${VAR}}
 * stands for the text {@code ${VAR}}. An unset variable is reported where it is written. The {@code api-key} values
 * (and an A2A agent's {@code token}) are left alone: a key stays a reference, resolved only when the model is built, so that it is never stored.
 * Not thread-safe.
 */
final class Variables {
    private static final Pattern REFERENCE = Pattern.compile("\\$(\\$?)\\{([^}]*)}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Checker check;
    private final Function<String, @Nullable String> env;
    private final List<String> lines;
    private final Map<Node, Node> resolved = new IdentityHashMap<>();

    Variables(Checker check, Function<String, @Nullable String> env, String yaml) {
        this.check = check;
        this.env = env;
        this.lines = yaml.lines().toList();
    }

    /** {@code node} with every reference replaced, reporting each unset or malformed one. */
    Node resolve(Node node) {
        Node known = resolved.get(node);
        if (known != null) {
            return known; // an aliased node: resolved once, still shared
        }
        Node result = switch (node) {
            case Scalar scalar when scalar.kind() == Kind.STRING -> scalar(scalar);
            case Scalar scalar -> scalar;
            case ListNode list ->
                new ListNode(
                        list.pos(), list.items().stream().map(this::resolve).toList());
            case MapNode map -> {
                Map<String, Field> fields = new LinkedHashMap<>();
                map.fields()
                        .forEach((key, field) -> fields.put(
                                key,
                                key.equals("api-key") || key.equals("token")
                                        ? field
                                        : new Field(key, field.keyPos(), resolve(field.value()))));
                yield new MapNode(map.pos(), fields);
            }
        };
        resolved.put(node, result);
        return result;
    }

    private Scalar scalar(Scalar scalar) {
        String text = scalar.text();
        if (!text.contains("${")) {
            return scalar;
        }
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(2);
            String replacement;
            if (!matcher.group(1).isEmpty()) {
                replacement = "${" + name + "}"; // $${X} is the literal text ${X}
            } else if (!NAME.matcher(name).matches()) {
                check.report(
                        where(scalar, matcher.group()),
                        "'" + matcher.group() + "' is not a variable reference",
                        "write ${NAME} with letters, digits and '_', or $${...} for the text itself");
                replacement = matcher.group();
            } else {
                String value = env.apply(name);
                if (value == null) {
                    check.report(
                            where(scalar, matcher.group()),
                            "environment variable " + name + " is not set",
                            "export " + name + " before running, or write $${" + name + "} for the text itself");
                    replacement = matcher.group();
                } else {
                    replacement = value;
                }
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return new Scalar(scalar.pos(), Kind.STRING, out.toString());
    }

    /** Where {@code reference} is written: on the scalar's first line if it is there, else at the scalar. */
    private Pos where(Scalar scalar, String reference) {
        Pos pos = scalar.pos();
        if (pos.line() >= 1 && pos.line() <= lines.size()) {
            String line = lines.get(pos.line() - 1);
            int index = line.indexOf(reference, Math.max(0, pos.column() - 1));
            if (index >= 0) {
                return new Pos(pos.line(), index + 1);
            }
        }
        return pos;
    }
}
