package io.troupe.config;

import io.troupe.api.internal.Checks;
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
import java.util.Collection;
import java.util.Comparator;
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

    private static final Map<String, String> EXAMPLES = Map.ofEntries(
            Map.entry("troupe", "troupe: 1"),
            Map.entry("models", "models: { tiny: { provider: llamacpp, model: stories260K } }"),
            Map.entry("agents", "agents: [{ id: writer, model: tiny }]"),
            Map.entry("name", "name: story-workshop"),
            Map.entry("task", "task: \"Once upon a time\""),
            Map.entry("provider", "provider: llamacpp"),
            Map.entry("model", "model: tiny"),
            Map.entry("base-url", "base-url: http://localhost:8080/v1"),
            Map.entry("api-key", "api-key: ${OPENAI_API_KEY}"),
            Map.entry("id", "id: writer"),
            Map.entry("role", "role: author"),
            Map.entry("instructions", "instructions: \"Continue the story.\""),
            Map.entry("tools", "tools: [search]"),
            Map.entry("delegates", "delegates: [writer]"),
            Map.entry("window", "window: 20"),
            Map.entry("max-iterations", "max-iterations: 10"),
            Map.entry("tokens", "tokens: 20000"),
            Map.entry("cost", "cost: 0.50"),
            Map.entry("turns", "turns: 10"),
            Map.entry("wall", "wall: 2m"),
            Map.entry("mechanism", "mechanism: sequential"),
            Map.entry("order", "order: [writer, editor]"),
            Map.entry("manager", "manager: lead"),
            Map.entry("workers", "workers: [writer, editor]"),
            Map.entry("capabilities", "capabilities: [translate, python]"),
            Map.entry("team", "team: { agents: [{ id: scout, model: tiny }], team: { mechanism: sequential } }"),
            Map.entry("combiner", "combiner: editor"),
            Map.entry("members", "members: [writer, critic]"),
            Map.entry("selection", "selection: round-robin"),
            Map.entry("selector", "selector: moderator"),
            Map.entry("rules", "rules: [{ after: writer, contains: \"review\", next: critic }]"),
            Map.entry("after", "after: writer"),
            Map.entry("contains", "contains: \"review\""),
            Map.entry("next", "next: critic"),
            Map.entry("max-turns", "max-turns: 10"),
            Map.entry("terminate-on", "terminate-on: DONE"),
            Map.entry("entry", "entry: triage"),
            Map.entry("routes", "routes: { triage: [billing, tech], billing: [triage] }"),
            Map.entry("history", "history: 2"),
            Map.entry("max-handoffs", "max-handoffs: 5"),
            Map.entry("eligible", "eligible: { role: writer }"),
            Map.entry("bidders", "bidders: { role: writer }"),
            Map.entry("capability", "capability: translate"),
            Map.entry("scoring", "scoring: lowest-cost"),
            Map.entry("judge", "judge: referee"),
            Map.entry("bid-deadline", "bid-deadline: 60s"),
            Map.entry("on-failure", "on-failure: next-best"),
            Map.entry("max-awards", "max-awards: 3"),
            Map.entry("max-rounds", "max-rounds: 5"),
            Map.entry("increment", "increment: 1"),
            Map.entry("reserve", "reserve: 0.50"),
            Map.entry("debaters", "debaters: [optimist, skeptic]"),
            Map.entry("rounds", "rounds: 2"),
            Map.entry("verdict", "verdict: majority"),
            Map.entry("voters", "voters: [optimist, skeptic]"),
            Map.entry("weights", "weights: { optimist: 2 }"),
            Map.entry("sources", "sources: [{ agent: planner, triggers: [task], writes: outline }]"),
            Map.entry("agent", "agent: planner"),
            Map.entry("triggers", "triggers: [task]"),
            Map.entry("writes", "writes: outline"),
            Map.entry("goal", "goal: final"),
            Map.entry("max-activations", "max-activations: 20"));

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
                String near = nearest(field.key(), allowed);
                if (near != null) {
                    suggested.computeIfAbsent(map, m -> new HashSet<>()).add(near);
                }
                report(
                        field.keyPos(),
                        "unknown key '" + field.key() + "' in " + where,
                        near != null
                                ? "did you mean '" + near + "'?"
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
            report(map.pos(), "missing required key '" + key + "' in " + where, "add it, e.g. '" + example(key) + "'");
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
                "write it like '" + example(field.key()) + "' (quote text that looks like" + " a number or a boolean)");
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

    /** A whole number of at least {@code min}. */
    @Nullable
    Long integer(@Nullable Field field, String where, long min) {
        if (field == null) {
            return null;
        }
        if (!(field.value() instanceof Scalar scalar) || scalar.kind() != Kind.INTEGER) {
            wrongType(field, where, "a whole number", "write it like '" + example(field.key()) + "', without quotes");
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
            wrongType(field, where, "a number", "write it like '" + example(field.key()) + "', without quotes");
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
            wrongType(field, where, "a number", "write it like '" + example(field.key()) + "', without quotes");
            return null;
        }
        BigDecimal value = new BigDecimal(scalar.text());
        if (value.signum() < 0) {
            report(
                    scalar.pos(),
                    "'" + field.key() + "' in " + where + " must not be negative, got " + scalar.text(),
                    "e.g. '" + example(field.key()) + "'");
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
        String near = nearest(value, allowed);
        String list = "allowed values are " + String.join(", ", allowed);
        report(
                field.value().pos(),
                "unknown " + field.key() + " '" + value + "' in " + where,
                near == null ? list : "did you mean '" + near + "'? " + list);
        return null;
    }

    /** A positive duration such as {@code 30s}, {@code 2m}, {@code 1h30m} or {@code 500ms}. */
    @Nullable
    Duration duration(@Nullable Field field, String where) {
        if (field == null) {
            return null;
        }
        String hint =
                "write a number with a unit (ms, s, m or h), like '" + example(field.key()) + "' or 'wall: 1h30m'";
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
                    "write a duration below 100 years, e.g. '" + example(field.key()) + "'");
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
                ? "set a limit above zero, e.g. '" + example(field.key()) + "'"
                : "e.g. '" + example(field.key()) + "'";
        report(field.value().pos(), "'" + field.key() + "' in " + where + " " + rule + ", got " + text, hint);
    }

    private void wrongType(Field field, String where, String expected, String hint) {
        Node value = field.value();
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

    static String example(String key) {
        return EXAMPLES.getOrDefault(key, key + ": ...");
    }

    /** The candidate closest to {@code word}, if it is close enough to be a typo of it. */
    static @Nullable String nearest(String word, Collection<String> candidates) {
        int limit = Math.max(2, word.length() / 3);
        return candidates.stream()
                .filter(c -> distance(word, c) <= limit)
                .min(Comparator.comparingInt(c -> distance(word, c)))
                .orElse(null);
    }

    /** A hint for a name that is not among {@code defined}: the likely typo, then the full list. */
    static String unknownNameHint(String word, Collection<String> defined, String kind) {
        String list = defined.isEmpty() ? "none are defined" : "defined " + kind + " are " + String.join(", ", defined);
        String near = nearest(word, defined);
        return near == null ? list : "did you mean '" + near + "'? " + list;
    }

    /** Levenshtein distance, case-insensitive. */
    static int distance(String a, String b) {
        String x = a.toLowerCase(java.util.Locale.ROOT);
        String y = b.toLowerCase(java.util.Locale.ROOT);
        int[] previous = new int[y.length() + 1];
        int[] current = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int cost = x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[y.length()];
    }
}
