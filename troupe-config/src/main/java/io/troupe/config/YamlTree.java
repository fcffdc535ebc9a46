package io.troupe.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
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
    private static final Pattern MARK = Pattern.compile("line (\\d+), column (\\d+)");

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
    }

    /**
     * Parses {@code yaml}, adding any tab or syntax problems to {@code problems}.
     *
     * @return the root node, or null if the text could not be parsed
     */
    static @Nullable Node parse(String yaml, String file, List<Problem> problems) {
        if (tabs(yaml, file, problems)) {
            return null; // the parser would fail on the first tab only; the scan found all of them
        }
        try (JsonParser parser = YAML.createParser(yaml)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new MapNode(Pos.START, Map.of());
            }
            return read(parser, first, file, problems);
        } catch (JsonProcessingException e) {
            problems.add(syntax(e, yaml, file));
            return null;
        } catch (IOException e) {
            problems.add(new Problem(file, 0, 0, "cannot read the spec: " + e.getMessage(), "check the file"));
            return null;
        }
    }

    private static boolean tabs(String yaml, String file, List<Problem> problems) {
        String[] lines = yaml.split("\r?\n", -1);
        boolean found = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            for (int c = 0; c < line.length() && (line.charAt(c) == ' ' || line.charAt(c) == '\t'); c++) {
                if (line.charAt(c) == '\t') {
                    problems.add(new Problem(
                            file,
                            i + 1,
                            c + 1,
                            "tab character in indentation",
                            "YAML forbids tabs for indentation: indent with spaces"));
                    found = true;
                    break;
                }
            }
        }
        return found;
    }

    private static Problem syntax(JsonProcessingException e, String yaml, String file) {
        String text = e.getOriginalMessage();
        int line = 0;
        int column = 0;
        Matcher mark = MARK.matcher(text);
        while (mark.find()) { // SnakeYAML prints the context mark first and the problem mark last
            line = Integer.parseInt(mark.group(1));
            column = Integer.parseInt(mark.group(2));
        }
        if (line == 0) {
            JsonLocation location = e.getLocation();
            if (location != null && location.getLineNr() > 0) {
                line = location.getLineNr();
                column = Math.max(1, location.getColumnNr());
            }
        }
        List<String> said = new ArrayList<>();
        for (String part : text.split("\n")) {
            String trimmed = part.strip();
            if (!trimmed.isEmpty()
                    && !part.startsWith(" ")
                    && !trimmed.startsWith("in '")
                    && !trimmed.startsWith("^")) {
                said.add(trimmed);
            }
        }
        String what = said.isEmpty() ? text.strip() : String.join(", ", said);
        String[] lines = yaml.split("\r?\n", -1);
        String source = line >= 1 && line <= lines.length ? lines[line - 1] : "";
        String hint;
        if (what.contains("\\t")) {
            hint = "YAML forbids tabs here: use spaces";
        } else if (source.contains("${")) {
            hint = "quote ${VAR} references inside { }, like api-key: \"${OPENAI_API_KEY}\"";
        } else {
            hint = "check the indentation, and quote values that contain ': ', '#', '{' or '['";
        }
        return new Problem(file, line, column, "YAML syntax error: " + what, hint);
    }

    private static Node read(JsonParser parser, JsonToken token, String file, List<Problem> problems)
            throws IOException {
        Pos pos = pos(parser.currentTokenLocation());
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Field> fields = new LinkedHashMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String key = parser.currentName();
                    Pos keyPos = pos(parser.currentTokenLocation());
                    Node value = read(parser, parser.nextToken(), file, problems);
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
                yield new MapNode(pos, fields);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    items.add(read(parser, t, file, problems));
                }
                yield new ListNode(pos, items);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number(parser, pos);
            case VALUE_TRUE, VALUE_FALSE -> new Scalar(pos, Kind.BOOLEAN, parser.getText());
            case VALUE_NULL -> new Scalar(pos, Kind.NULL, "");
            default -> new Scalar(pos, Kind.STRING, parser.getText());
        };
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

    private static Pos pos(JsonLocation location) {
        return new Pos(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
    }
}
