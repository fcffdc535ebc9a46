package io.troupe.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The problems of a YAML text as a whole, in words a spec author can act on: its size, tabs used for indentation,
 * a second document, and syntax errors with SnakeYAML's and Jackson's internals left out. Stateless.
 */
final class YamlLimits {
    /** The largest spec read, in characters: a spec names models and agents, it does not carry documents. */
    static final int MAX_CHARS = 1 << 20;
    /** The deepest nesting read; real specs use fewer than ten levels. */
    static final int MAX_DEPTH = 64;
    /** The most values that aliases may expand to. */
    static final long MAX_EXPANDED = 100_000;

    private static final Pattern MARK = Pattern.compile("line (\\d+), column (\\d+)");
    private static final Pattern BLOCK_INDICATOR = Pattern.compile(".*(?:^|[\\s:-])[|>][0-9+-]*\\s*(?:#.*)?$");

    private YamlLimits() {}

    /** Reports a text over {@link #MAX_CHARS}, at the line where it passes the limit. */
    static boolean tooLarge(String yaml, String file, List<Problem> problems) {
        if (yaml.length() <= MAX_CHARS) {
            return false;
        }
        int line = 1;
        int column = 1;
        for (int i = 0; i < MAX_CHARS; i++) {
            if (yaml.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        problems.add(new Problem(
                file,
                line,
                column,
                String.format(
                        Locale.ROOT,
                        "the spec is %,d characters long and passes the limit of %,d here",
                        yaml.length(),
                        MAX_CHARS),
                "keep long texts out of the spec: put documents in a folder and give agents the 'files' tool"));
        return true;
    }

    /** The line of the {@code ---} marker that starts the document whose first token is on {@code tokenLine}. */
    static int documentMarkerLine(String yaml, int tokenLine) {
        List<String> lines = yaml.lines().toList();
        for (int i = Math.min(tokenLine, lines.size()) - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("---")) {
                return i + 1;
            }
        }
        return Math.max(1, tokenLine);
    }

    /**
     * Reports every tab used for indentation, outside block scalars ({@code |} and {@code >}), whose lines may hold
     * tabs as text after their indentation.
     *
     * @return whether any was found
     */
    static boolean indentationTabs(String yaml, String file, List<Problem> problems) {
        String[] lines = yaml.split("\r?\n", -1);
        boolean found = false;
        int blockParent = -1; // the indentation of the line that opened a block scalar, or -1 outside one
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int spaces = 0;
            while (spaces < line.length() && line.charAt(spaces) == ' ') {
                spaces++;
            }
            boolean blank = line.isBlank();
            if (blockParent >= 0 && (blank || spaces > blockParent)) {
                continue; // text of the block scalar: a tab after its indentation is content
            }
            blockParent = -1;
            if (spaces < line.length() && line.charAt(spaces) == '\t') {
                problems.add(new Problem(
                        file,
                        i + 1,
                        spaces + 1,
                        "tab character in indentation",
                        "YAML forbids tabs for indentation: indent with spaces"));
                found = true;
                continue;
            }
            if (BLOCK_INDICATOR.matcher(line).matches()) {
                blockParent = spaces;
            }
        }
        return found;
    }

    /** A syntax error, positioned and worded without the parser's internals. */
    static Problem syntax(JsonProcessingException e, String yaml, String file) {
        String text = String.valueOf(e.getOriginalMessage());
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
        String[] lines = yaml.split("\r?\n", -1);
        String source = line >= 1 && line <= lines.length ? lines[line - 1] : "";
        String what = describe(text);
        String hint;
        if (text.contains("nesting depth") || text.contains("Nesting Depth")) {
            what = "the spec nests too deeply here";
            hint = "look for a '[' or '{' that is never closed, or indentation that keeps growing";
        } else if (text.contains("code points") || text.contains("exceeds the maximum")) {
            what = "a value here is too long";
            hint = "keep long texts out of the spec: put documents in a folder and give agents the 'files' tool";
        } else if (text.contains("aliases")) {
            what = "too many aliases";
            hint = "write the repeated part out, or alias it fewer times";
        } else if (text.contains("\\t")) {
            hint = "YAML forbids tabs here: use spaces";
        } else if (source.contains("${")) {
            hint = "quote ${VAR} references inside { }, like api-key: \"${OPENAI_API_KEY}\"";
        } else {
            hint = "check the indentation, and quote values that contain ': ', '#', '{' or '['";
        }
        return new Problem(
                file, Math.max(0, line), line == 0 ? 0 : Math.max(1, column), "YAML syntax error: " + what, hint);
    }

    /** SnakeYAML's message without its marks, source excerpts, carets and Jackson's {@code [Source: ...]}. */
    private static String describe(String text) {
        List<String> said = new ArrayList<>();
        for (String part : text.split("\n")) {
            String trimmed = part.strip();
            if (!trimmed.isEmpty()
                    && !part.startsWith(" ")
                    && !trimmed.startsWith("in '")
                    && !trimmed.startsWith("^")
                    && !trimmed.startsWith("at [Source")) {
                said.add(trimmed.replaceAll("`[^`]*`", "")
                        .replaceAll("\\(from \\)", "")
                        .strip());
            }
        }
        return said.isEmpty() ? "the text cannot be parsed" : String.join(", ", said);
    }
}
