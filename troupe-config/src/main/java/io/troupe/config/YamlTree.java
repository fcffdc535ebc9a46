package io.troupe.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads YAML into a tree whose every node knows its line and column. Jackson's tree model drops locations, so
 * this walks the streaming parser and records each token's location itself.
 */
final class YamlTree {
    private static final YAMLFactory YAML = YAMLFactory.builder().build();
    /** YAML's merge key, which copies the keys of an aliased mapping. */
    private static final String MERGE = "<<";

    private static final Pattern ANCHOR = Pattern.compile("&([^\\s,\\[\\]{}]+)");

    private YamlTree() {}

    /** A 1-based position in the file. */
    record Pos(int line, int column) {
        static final Pos START = new Pos(1, 1);
    }

    /** A node of the tree. */
    sealed interface Node {
        Pos pos();
    }

    /** A key and its value; {@code keyPos} is where the key is written. */
    record Field(String key, Pos keyPos, Node value) {}

    /** A mapping, in file order. */
    record MapNode(Pos pos, Map<String, Field> fields) implements Node {}

    /** A sequence. */
    record ListNode(Pos pos, List<Node> items) implements Node {}

    /** What a scalar was written as: YAML types, so that {@code "10"} is a string and {@code 10} a number. */
    enum Kind {
        STRING("a string"),
        INTEGER("a number"),
        DECIMAL("a decimal number"),
        BOOLEAN("a boolean"),
        NULL("empty");

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    /** A scalar with its text as written. */
    record Scalar(Pos pos, Kind kind, String text) implements Node {
        String describe() {
            return kind == Kind.STRING ? "the string \"" + text + "\"" : kind.description + " (" + text + ")";
        }

        /**
         * Whether this is a true boolean. The YAML parser reads YAML 1.1's booleans, so {@code yes} and {@code on}
         * are true as well as {@code true} (and {@code no} and {@code off} false): its text is kept as written.
         */
        boolean isTrue() {
            return kind == Kind.BOOLEAN
                    && switch (text.toLowerCase(java.util.Locale.ROOT)) {
                        case "true", "yes", "on" -> true;
                        default -> false;
                    };
        }
    }

    /**
     * Parses {@code yaml}, adding any problem to {@code problems}: a syntax error (with every tab used for
     * indentation), a second document, an alias that expands too far, or nesting too deep.
     *
     * @return the root node, or null if the text could not be parsed
     */
    static @Nullable Node parse(String yaml, String file, List<Problem> problems) {
        if (YamlLimits.tooLarge(yaml, file, problems)) {
            return null; // SnakeYAML would stop at its own limit with a message about code points
        }
        if (controlCharacter(yaml, file, problems)) {
            return null; // SnakeYAML reports them at the start of the document
        }
        Reader reader = new Reader(file, problems, yaml);
        try (JsonParser parser = YAML.createParser(yaml)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new MapNode(Pos.START, Map.of());
            }
            Node root = reader.read(parser, first, 1);
            if (root == null) {
                return null;
            }
            JsonToken second = parser.nextToken();
            if (second != null) {
                int line = YamlLimits.documentMarkerLine(
                        yaml, parser.currentTokenLocation().getLineNr());
                problems.add(new Problem(
                        file,
                        line,
                        1,
                        "the file holds a second YAML document, after the '---' on line " + line
                                + "; a spec is one document, and Troupe would ignore the rest",
                        "remove this '---' line and what follows it, or move that part into its own spec file"));
                return null;
            }
            return root;
        } catch (JsonProcessingException e) {
            if (!YamlLimits.indentationTabs(yaml, file, problems)) {
                problems.add(YamlLimits.syntax(e, yaml, file));
            }
            return null;
        } catch (IOException e) {
            problems.add(new Problem(file, 0, 0, "cannot read the spec: " + e.getMessage(), "check the file"));
            return null;
        }
    }

    /**
     * Reads tokens into nodes, resolving anchors and aliases as YAML defines them: an alias ({@code *name}) stands
     * for the node its anchor ({@code &name}) marks, and a merge key ({@code <<: *name}) copies the keys of that
     * mapping that the mapping does not set itself. Aliased nodes are shared, not copied; their total expanded size
     * is bounded, so that a document of nested aliases ("billion laughs") is refused rather than walked.
     */
    private static final class Reader {
        private final String file;
        private final List<Problem> problems;
        private final List<String> lines;
        private final Map<String, Node> anchors = new HashMap<>();
        private final Map<Node, Long> sizes = new IdentityHashMap<>();
        private long expanded;
        private boolean failed;

        Reader(String file, List<Problem> problems, String yaml) {
            this.file = file;
            this.problems = problems;
            this.lines = yaml.lines().toList();
        }

        /**
         * The anchor written at {@code pos}, if any. Jackson reports the anchors of mappings and sequences but drops
         * those of scalars; a scalar's location is where its anchor starts, so it is read from the text there.
         */
        private @Nullable String anchorAt(Pos pos) {
            if (pos.line() > lines.size()) {
                return null;
            }
            String line = lines.get(pos.line() - 1);
            Matcher matcher = ANCHOR.matcher(line);
            return matcher.find(Math.min(line.length(), pos.column() - 1)) && matcher.start() == pos.column() - 1
                    ? matcher.group(1)
                    : null;
        }

        /** The tags YAML's core schema resolves plain values to, which say no more than the value itself. */
        private static final java.util.Set<String> CORE_TAGS = java.util.Set.of(
                "tag:yaml.org,2002:str",
                "tag:yaml.org,2002:int",
                "tag:yaml.org,2002:float",
                "tag:yaml.org,2002:bool",
                "tag:yaml.org,2002:null",
                "tag:yaml.org,2002:map",
                "tag:yaml.org,2002:seq",
                "!");

        /** The node that starts with {@code token}, or null after reporting why it cannot be read. */
        @Nullable
        Node read(JsonParser parser, JsonToken token, int depth) throws IOException {
            Pos pos = pos(parser.currentTokenLocation());
            if (depth > YamlLimits.MAX_DEPTH) {
                fail(
                        pos,
                        "the spec nests more than " + YamlLimits.MAX_DEPTH + " levels deep here",
                        "a spec needs a few levels: look for a '[' or '{' that is never closed, or indentation that"
                                + " keeps growing");
                return null;
            }
            String anchor = parser.getObjectId() instanceof String name ? name : null;
            if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                return alias(parser.getText(), pos);
            }
            if (parser.getTypeId() instanceof String tag && !CORE_TAGS.contains(tag)) {
                // The parser gives a tag without its '!' ('custom') or in full ('tag:yaml.org,2002:binary').
                // !!binary, !!python/object, !custom: read as plain text they would change what a spec means unseen.
                fail(
                        pos,
                        "the YAML tag '" + written(tag) + "' is not supported",
                        "remove it: a spec takes plain values (quote a value that must stay a string)");
                return null;
            }
            Node node = switch (token) {
                case START_OBJECT -> mapping(parser, pos, depth);
                case START_ARRAY -> {
                    List<Node> items = new ArrayList<>();
                    for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                        Node item = read(parser, t, depth + 1);
                        if (item == null) {
                            yield null;
                        }
                        items.add(item);
                    }
                    yield new ListNode(pos, items);
                }
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number(parser, pos);
                case VALUE_TRUE, VALUE_FALSE -> new Scalar(pos, Kind.BOOLEAN, parser.getText());
                case VALUE_NULL -> new Scalar(pos, Kind.NULL, "");
                default -> new Scalar(pos, Kind.STRING, parser.getText());
            };
            if (anchor == null && node instanceof Scalar) {
                anchor = anchorAt(pos);
            }
            if (node != null && anchor != null) {
                anchors.put(anchor, node);
            }
            return node;
        }

        private @Nullable Node mapping(JsonParser parser, Pos pos, int depth) throws IOException {
            Map<String, Field> fields = new LinkedHashMap<>();
            List<Field> merges = new ArrayList<>();
            for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                String key = parser.currentName();
                Pos keyPos = pos(parser.currentTokenLocation());
                Node value = read(parser, parser.nextToken(), depth + 1);
                if (value == null) {
                    return null;
                }
                if (MERGE.equals(key)) {
                    merges.add(new Field(key, keyPos, value));
                    continue;
                }
                Field earlier = fields.get(key);
                if (earlier != null) {
                    problems.add(new Problem(
                            file,
                            keyPos.line(),
                            keyPos.column(),
                            "key '" + key + "' appears twice in the same mapping (first at line "
                                    + earlier.keyPos().line() + ")",
                            "remove one of them"));
                } else {
                    fields.put(key, new Field(key, keyPos, value));
                }
            }
            for (Field merge : merges) {
                if (!merge(fields, merge)) {
                    return null;
                }
            }
            return new MapNode(pos, fields);
        }

        /** Copies the keys of the merged mapping(s) that {@code fields} does not set itself. */
        private boolean merge(Map<String, Field> fields, Field merge) {
            List<Node> sources = merge.value() instanceof ListNode list ? list.items() : List.of(merge.value());
            for (Node source : sources) {
                if (!(source instanceof MapNode map)) {
                    fail(
                            source.pos(),
                            "a merge key '<<' must refer to a mapping, like '<<: *defaults'",
                            "anchor a mapping with '&defaults' and merge it with '<<: *defaults'");
                    return false;
                }
                map.fields().forEach(fields::putIfAbsent);
            }
            return true;
        }

        private @Nullable Node alias(String name, Pos pos) {
            Node target = anchors.get(name);
            if (target == null) { // SnakeYAML refuses undefined aliases first; kept for safety
                fail(pos, "alias '*" + name + "' refers to no anchor", "define '&" + name + "' before this line");
                return null;
            }
            expanded += size(target);
            if (expanded > YamlLimits.MAX_EXPANDED) {
                fail(
                        pos,
                        "the aliases of this spec expand to more than " + YamlLimits.MAX_EXPANDED + " values",
                        "aliases that nest other aliases grow exponentially: write the repeated part out, or"
                                + " alias it fewer times");
                return null;
            }
            return target;
        }

        /** How many nodes {@code node} stands for once its aliases are expanded; memoized by identity. */
        private long size(Node node) {
            Long known = sizes.get(node);
            if (known != null) {
                return known;
            }
            long size = switch (node) {
                case Scalar scalar -> 1;
                case ListNode list ->
                    1 + list.items().stream().mapToLong(this::size).sum();
                case MapNode map ->
                    1
                            + map.fields().values().stream()
                                    .mapToLong(f -> size(f.value()))
                                    .sum();
            };
            long capped = Math.min(size, Long.MAX_VALUE / 4);
            sizes.put(node, capped);
            return capped;
        }

        private void fail(Pos pos, String message, String hint) {
            if (!failed) {
                failed = true;
                problems.add(new Problem(file, pos.line(), pos.column(), message, hint));
            }
        }
    }

    /** A number in plain decimal notation, whatever YAML spelling it had ({@code 0x10}, {@code 20_000}). */
    private static Scalar number(JsonParser parser, Pos pos) throws IOException {
        String text = parser.getText();
        try {
            return parser.currentToken() == JsonToken.VALUE_NUMBER_INT
                    ? new Scalar(pos, Kind.INTEGER, parser.getBigIntegerValue().toString())
                    : new Scalar(pos, Kind.DECIMAL, parser.getDecimalValue().toPlainString());
        } catch (NumberFormatException | JsonProcessingException e) {
            return new Scalar(pos, Kind.STRING, text); // such as .inf: no limit can be infinite
        }
    }

    /**
     * Reports the first character YAML does not allow in a document (a NUL byte, another control character,
     * U+FFFE...), where it is; returns whether there was one.
     */
    static boolean controlCharacter(String yaml, String file, List<Problem> problems) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < yaml.length(); ) {
            int c = yaml.codePointAt(i);
            boolean printable = c == '\t'
                    || c == '\n'
                    || c == '\r'
                    || (c >= 0x20 && c <= 0x7E)
                    || c == 0x85
                    || (c >= 0xA0 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD)
                    || (c >= 0x10000 && c <= 0x10FFFF);
            if (!printable) {
                problems.add(new Problem(
                        file,
                        line,
                        column,
                        "a control character (U+%04X) that YAML does not allow".formatted(c),
                        "remove it: a spec is plain text (a stray byte from a binary file or a copy and paste?)"));
                return true;
            }
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
            i += Character.charCount(c);
        }
        return false;
    }

    private static Pos pos(JsonLocation location) {
        return new Pos(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
    }

    /** A tag as the spec wrote it: {@code !custom}, {@code !!binary}. */
    private static String written(String tag) {
        if (tag.startsWith("tag:yaml.org,2002:")) {
            return "!!" + tag.substring("tag:yaml.org,2002:".length());
        }
        return tag.startsWith("!") ? tag : "!" + tag;
    }
}
