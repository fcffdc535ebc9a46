package io.troupe.config;

import io.troupe.api.Checks;
import io.troupe.config.YamlTree.Field;
import io.troupe.config.YamlTree.Kind;
import io.troupe.config.YamlTree.ListNode;
import io.troupe.config.YamlTree.MapNode;
import io.troupe.config.YamlTree.Node;
import io.troupe.config.YamlTree.Pos;
import io.troupe.config.YamlTree.Scalar;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads from a {@link YamlTree} that never coerce: each mistake becomes a {@link Problem} at the node that
 * caused it, and the read returns null so that checking can go on and find the next mistake. Not thread-safe.
 */
final class Checker {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    /** The longest duration read: any longer would overflow the clock arithmetic of deadlines and budgets. */
    private static final Duration LONGEST = Duration.ofDays(36_500);

    private final String file;
    private final List<Problem> problems;
    /** For each mapping, the keys suggested for its misspelled keys, which are then not reported as missing too. */
    private final Map<MapNode, Set<String>> suggested = new IdentityHashMap<>();

    Checker(String file, List<Problem> problems) {
        this.file = file;
        this.problems = problems;
    }

    int problemCount() {
        return problems.size();
    }

    void report(Pos pos, String message, String hint) {
        problems.add(new Problem(file, pos.line(), pos.column(), message, hint));
    }

    /** Reports every key of {@code map} that is not in {@code allowed}, suggesting the nearest allowed one. */
    void onlyKeys(MapNode map, String where, List<String> allowed) {
        for (Field field : map.fields().values()) {
            if (!allowed.contains(field.key())) {
                String near = Hints.nearest(field.key(), allowed);
                if (near != null) {
                    suggested.computeIfAbsent(map, m -> new HashSet<>()).add(near);
                }
                report(
                        field.keyPos(),
                        "unknown key '" + field.key() + "' in " + where,
                        near != null
                                ? Hints.didYouMean(field.key(), near)
                                : "allowed keys are " + String.join(", ", allowed));
            }
        }
    }

    /**
     * The field {@code key} of {@code map}; a missing required field is reported at the mapping, unless
     * {@link #onlyKeys} already suggested it for a misspelled key.
     */
    @Nullable
    Field field(MapNode map, String key, String where, boolean required) {
        Field field = map.fields().get(key);
        if (field == null && required && !wasSuggested(map, key)) {
            report(
                    map.pos(),
                    "missing required key '" + key + "' in " + where,
                    "add it, e.g. '" + Hints.example(key) + "'");
        }
        return field;
    }

    /** Whether {@link #onlyKeys} suggested {@code key} for a misspelled key of {@code map}. */
    boolean wasSuggested(MapNode map, String key) {
        return suggested.getOrDefault(map, Set.of()).contains(key);
    }

    @Nullable
    MapNode map(@Nullable Field field, String where) {
        if (field == null) {
            return null;
        }
        if (field.value() instanceof MapNode map) {
            return map;
        }
        wrongType(
                field,
                where,
                "a mapping of keys to values",
                "write it as 'key: value' lines indented under '" + field.key() + ":', or as { key: value, ... }");
        return null;
    }

    @Nullable
    ListNode list(@Nullable Field field, String where) {
        if (field == null) {
            return null;
        }
        if (field.value() instanceof ListNode list) {
            return list;
        }
        wrongType(field, where, "a list", "write it as [a, b] or as '- item' lines");
        return null;
    }

    @Nullable
    String string(@Nullable Field field, String where) {
        if (field == null) {
            return null;
        }
        if (field.value() instanceof Scalar scalar && scalar.kind() == Kind.STRING) {
            return scalar.text();
        }
        wrongType(
                field,
                where,
                "a string",
                "write it like '" + Hints.example(field.key()) + "' (quote text that looks like"
                        + " a number or a boolean)");
        return null;
    }

    /**
     * A YAML boolean ({@code yes} and {@code on} are true too, as {@link Scalar#isTrue} says); null when absent or
     * after a reported problem.
     */
    @Nullable
    Boolean bool(@Nullable Field field, String where) {
        if (field == null) {
            return null;
        }
        if (field.value() instanceof Scalar scalar && scalar.kind() == Kind.BOOLEAN) {
            return scalar.isTrue();
        }
        report(
                field.value().pos(),
                "'" + field.key() + "' in " + where + " must be true or false",
                "write '" + field.key() + ": true'");
        return null;
    }

    /** A string that matches {@link Checks#NAME}, as ids and tool names must. */
    @Nullable
    String name(@Nullable Field field, String where) {
        String value = string(field, where);
        if (field != null && value != null && !Checks.isName(value)) {
            report(
                    field.value().pos(),
                    "'" + field.key() + "' in " + where + " is '" + value + "', which is not a valid name",
                    "start with a letter, then use letters, digits, '_' or '-' (at most 64 characters)");
            return null;
        }
        return value;
    }

    /** A name written as a list item. */
    @Nullable
    String nameItem(Node item, String what) {
        if (item instanceof Scalar scalar && scalar.kind() == Kind.STRING && Checks.isName(scalar.text())) {
            return scalar.text();
        }
        String got = item instanceof Scalar scalar ? scalar.describe() : "a nested " + kindOf(item);
        report(
                item.pos(),
                what + " must be a name, not " + got,
                "start with a letter, then use letters, digits, '_' or '-'");
        return null;
    }

    /** The digits of {@code decimal} (such as 1e9 or 12.0) when it is a whole number, else null. */
    private static @Nullable String wholeDigits(String decimal) {
        try {
            return new java.math.BigDecimal(decimal).toBigIntegerExact().toString();
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** A whole number of at least {@code min}. */
    @Nullable
    Long integer(@Nullable Field field, String where, long min) {
        if (field == null) {
            return null;
        }
        if (!(field.value() instanceof Scalar scalar) || scalar.kind() != Kind.INTEGER) {
            String whole = field.value() instanceof Scalar decimal && decimal.kind() == Kind.DECIMAL
                    ? wholeDigits(decimal.text())
                    : null;
            wrongType(
                    field,
                    where,
                    "a whole number",
                    whole != null
                            ? "YAML reads an exponent or a decimal point as a decimal number: write " + whole
                            : "write it like '" + Hints.example(field.key()) + "', without quotes");
            return null;
        }
        BigInteger value = new BigInteger(scalar.text());
        if (value.compareTo(BigInteger.valueOf(min)) < 0) {
            tooSmall(field, where, scalar.text(), min);
            return null;
        }
        if (value.bitLength() > 31) {
            report(
                    scalar.pos(),
                    "'" + field.key() + "' in " + where + " is too large: " + scalar.text(),
                    "use a number below " + Integer.MAX_VALUE);
            return null;
        }
        return value.longValue();
    }

    /** A positive decimal number, such as a cost in US dollars. */
    @Nullable
    BigDecimal positiveDecimal(@Nullable Field field, String where) {
        if (field == null) {
            return null;
        }
        if (!(field.value() instanceof Scalar scalar)
                || (scalar.kind() != Kind.INTEGER && scalar.kind() != Kind.DECIMAL)) {
            wrongType(field, where, "a number", "write it like '" + Hints.example(field.key()) + "', without quotes");
            return null;
        }
        BigDecimal value = new BigDecimal(scalar.text());
        if (value.signum() <= 0) {
            tooSmall(field, where, scalar.text(), 1);
            return null;
        }
        return value;
    }

    /** A decimal number of zero or more, such as a reserve price. */
    @Nullable
    BigDecimal nonNegativeDecimal(@Nullable Field field, String where) {
        if (field == null) {
            return null;
        }
        if (!(field.value() instanceof Scalar scalar)
                || (scalar.kind() != Kind.INTEGER && scalar.kind() != Kind.DECIMAL)) {
            wrongType(field, where, "a number", "write it like '" + Hints.example(field.key()) + "', without quotes");
            return null;
        }
        BigDecimal value = new BigDecimal(scalar.text());
        if (value.signum() < 0) {
            report(
                    scalar.pos(),
                    "'" + field.key() + "' in " + where + " must not be negative, got " + scalar.text(),
                    "e.g. '" + Hints.example(field.key()) + "'");
            return null;
        }
        return value;
    }

    /**
     * One of the {@code allowed} words, such as {@code round-robin}; a word not among them is reported with the
     * allowed ones.
     */
    @Nullable
    String choice(@Nullable Field field, String where, List<String> allowed) {
        String value = string(field, where);
        if (field == null || value == null || allowed.contains(value)) {
            return value;
        }
        String near = Hints.nearest(value, allowed);
        String list = "allowed values are " + String.join(", ", allowed);
        report(
                field.value().pos(),
                "unknown " + field.key() + " '" + value + "' in " + where,
                near == null ? list : Hints.didYouMean(value, near) + " " + list);
        return null;
    }

    /** A positive duration such as {@code 30s}, {@code 2m}, {@code 1h30m} or {@code 500ms}. */
    @Nullable
    Duration duration(@Nullable Field field, String where) {
        if (field == null) {
            return null;
        }
        String hint = "write a number with a unit (ms, s, m or h), like '" + Hints.example(field.key())
                + "' or 'wall: 1h30m'";
        if (!(field.value() instanceof Scalar scalar)
                || (scalar.kind() != Kind.STRING && scalar.kind() != Kind.INTEGER)) {
            wrongType(field, where, "a duration", hint);
            return null;
        }
        String text = scalar.text().strip();
        Matcher part = DURATION.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        boolean tooLarge = false;
        while (part.find() && part.start() == end) {
            end = part.end();
            try {
                long amount = Long.parseLong(part.group(1));
                total = total.plus(
                        switch (part.group(2)) {
                            case "ms" -> Duration.ofMillis(amount);
                            case "s" -> Duration.ofSeconds(amount);
                            case "m" -> Duration.ofMinutes(amount);
                            default -> Duration.ofHours(amount);
                        });
            } catch (NumberFormatException | ArithmeticException e) {
                tooLarge = true; // more digits than a long holds, or more seconds than a Duration does
            }
        }
        if (end == text.length() && (tooLarge || total.compareTo(LONGEST) > 0)) {
            report(
                    scalar.pos(),
                    "'" + field.key() + "' in " + where + " is too large: " + text,
                    "write a duration below 100 years, e.g. '" + Hints.example(field.key()) + "'");
            return null;
        }
        if (end == 0 || end != text.length()) {
            report(
                    scalar.pos(),
                    "'" + field.key() + "' in " + where + " must be a duration, not " + scalar.describe(),
                    hint);
            return null;
        }
        if (total.isZero()) {
            tooSmall(field, where, text, 1);
            return null;
        }
        return total;
    }

    private void tooSmall(Field field, String where, String text, long min) {
        String rule = min == 1 ? "must be positive" : "must be at least " + min;
        String hint = min == 1
                ? "set a limit above zero, e.g. '" + Hints.example(field.key()) + "'"
                : "e.g. '" + Hints.example(field.key()) + "'";
        report(field.value().pos(), "'" + field.key() + "' in " + where + " " + rule + ", got " + text, hint);
    }

    private void wrongType(Field field, String where, String expected, String hint) {
        Node value = field.value();
        if (value instanceof Scalar scalar
                && (scalar.kind() == Kind.NULL
                        || (scalar.kind() == Kind.STRING && scalar.text().isEmpty()))) {
            // 'task:' or 'task: null': nothing was written, so the hint about what was written does not apply.
            report(
                    value.pos(),
                    "'" + field.key() + "' in " + where + " has no value; it must be " + expected,
                    expected.startsWith("a mapping") || expected.startsWith("a list")
                            ? hint + ", or remove the key"
                            : "give it one, like '" + Hints.example(field.key()) + "', or remove the key");
            return;
        }
        String got = value instanceof Scalar scalar ? scalar.describe() : kindOf(value);
        report(value.pos(), "'" + field.key() + "' in " + where + " must be " + expected + ", not " + got, hint);
    }

    private static String kindOf(Node node) {
        return switch (node) {
            case MapNode map -> "a mapping";
            case ListNode list -> "a list";
            case Scalar scalar -> scalar.kind().description;
        };
    }
}
