package io.troupe.guard.sink;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Command injection for values that reach a POSIX shell, read with the shell's own quoting rules: single quotes
 * make everything literal, double quotes still expand {@code $} and backticks, a backslash escapes one character.
 *
 * <p>{@link #command()} checks a whole command line: one simple command, no chaining ({@code ; && || | &},
 * newlines), no substitution ({@code $(…)}, backticks, {@code <(…)}), no variable expansion, no redirection; with
 * {@link #command(Set)} its program must be on an allow-list. {@link #argument()} checks one value that is pasted
 * into a command as an argument: the same, plus no leading dash (option injection) and no unquoted spaces or glob
 * characters.
 */
public final class ShellCheck implements SinkCheck {
    private final boolean argument;
    private final Set<String> programs;

    private ShellCheck(boolean argument, Set<String> programs) {
        this.argument = argument;
        this.programs = Set.copyOf(programs);
    }

    /** A check of whole command lines, with any program. */
    public static ShellCheck command() {
        return new ShellCheck(false, Set.of());
    }

    /** A check of whole command lines whose program must be one of {@code programs}. */
    public static ShellCheck command(Set<String> programs) {
        return new ShellCheck(false, programs);
    }

    /** A check of a single argument value. */
    public static ShellCheck argument() {
        return new ShellCheck(true, Set.of());
    }

    @Override
    public String sink() {
        return "shell";
    }

    @Override
    public List<Violation> check(String value) {
        Set<String> found = new LinkedHashSet<>();
        List<Violation> violations = new ArrayList<>();
        StringBuilder firstWord = new StringBuilder();
        boolean firstWordDone = false;
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            char next = i + 1 < value.length() ? value.charAt(i + 1) : '\0';
            if (single) {
                if (c == '\'') {
                    single = false;
                }
                continue;
            }
            if (c == '\\') {
                if (next == '\n') {
                    found.add("newline");
                }
                i++; // the next character is literal
                continue;
            }
            if (c == '`') {
                found.add("substitution");
                continue;
            }
            if (c == '$') {
                if (next == '(') {
                    found.add("substitution");
                } else if (next == '{'
                        || Character.isLetter(next)
                        || next == '_'
                        || next == '@'
                        || next == '*'
                        || next == '#'
                        || next == '?'
                        || next == '!') {
                    found.add("expansion");
                }
                continue;
            }
            if (dbl) {
                if (c == '"') {
                    dbl = false;
                }
                continue;
            }
            switch (c) {
                case '\'' -> single = true;
                case '"' -> dbl = true;
                case ';', '|', '&' -> found.add("chaining");
                case '\n', '\r' -> found.add("newline");
                case '<', '>' -> found.add(next == '(' ? "substitution" : "redirection");
                case '*', '?', '[' -> {
                    if (argument) {
                        found.add("glob");
                    }
                }
                case ' ', '\t' -> {
                    if (argument) {
                        found.add("word-splitting");
                    }
                }
                default -> {}
            }
            if (!firstWordDone) {
                if (Character.isWhitespace(c) && !firstWord.isEmpty()) {
                    firstWordDone = true;
                } else if (!Character.isWhitespace(c) && c != '\'' && c != '"') {
                    firstWord.append(c);
                }
            }
        }
        if (single || dbl) {
            found.add("unbalanced-quotes");
        }
        for (String kind : found) {
            violations.add(new Violation(
                    "shell." + kind,
                    switch (kind) {
                        case "chaining" -> "the value chains commands with ; & | && or ||";
                        case "newline" -> "the value contains a newline, which starts a new command";
                        case "substitution" -> "the value runs a command through $(…), backticks or <(…)";
                        case "expansion" -> "the value expands a shell variable ($NAME or ${…})";
                        case "redirection" -> "the value redirects input or output with < or >";
                        case "glob" -> "the argument contains unquoted glob characters (* ? [)";
                        case "word-splitting" ->
                            "the argument contains unquoted whitespace and would split into several";
                        case "unbalanced-quotes" -> "the value has an unterminated quote";
                        default -> kind;
                    }));
        }
        String stripped = value.strip();
        if (argument && stripped.startsWith("-")) {
            violations.add(new Violation(
                    "shell.option-injection", "the argument starts with '-' and would be read as an option"));
        }
        if (!argument && !programs.isEmpty()) {
            String program = firstWord.toString();
            String base = program.substring(program.lastIndexOf('/') + 1);
            if (!programs.contains(base)) {
                violations.add(new Violation("shell.program", "the program '" + base + "' is not one of " + programs));
            }
        }
        return violations;
    }
}
