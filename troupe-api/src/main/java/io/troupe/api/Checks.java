package io.troupe.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Validation helpers whose messages name the culprit and the rule it broke. */
public final class Checks {
    /** Agent ids, roles and tool names: a letter, then letters, digits, '_' or '-'; at most 64 characters. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    private Checks() {}

    /** Returns {@code value} if it is not null, else throws naming {@code what}. */
    public static <T> T notNull(@Nullable T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return value;
    }

    /** Returns {@code value} if it has a non-whitespace character, else throws naming {@code what}. */
    public static String notBlank(@Nullable String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }

    /** Returns {@code value} if it matches {@link #NAME}, else throws naming {@code what} and the rule. */
    public static String name(@Nullable String value, String what) {
        notNull(value, what);
        if (!isName(value)) {
            throw new IllegalArgumentException(nameProblem(value, what));
        }
        return value;
    }

    /** Whether {@code value} matches {@link #NAME}; a loop rather than a regex, since messages check it often. */
    public static boolean isName(@Nullable String value) {
        if (value == null || value.isEmpty() || value.length() > 64 || !isLetter(value.charAt(0))) {
            return false;
        }
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isLetter(c) && !(c >= '0' && c <= '9') && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    /** The message for a value that does not match {@link #NAME}. */
    public static String nameProblem(String value, String what) {
        return what + " '" + value + "' does not match " + NAME.pattern()
                + " (a letter, then letters, digits, '_' or '-', at most 64 characters)";
    }

    /**
     * An immutable copy of {@code names}, each matching {@link #NAME} and none twice; else throws naming
     * {@code what}.
     */
    public static List<String> names(@Nullable Collection<String> names, String what) {
        List<String> copy = list(names, what);
        List<String> problems = nameProblems(copy, "An element of " + what);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.getFirst());
        }
        return copy;
    }

    /** What is wrong with {@code names}: each must match {@link #NAME} and appear once. Empty when all is well. */
    public static List<String> nameProblems(Collection<String> names, String what) {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!isName(name)) {
                problems.add(nameProblem(String.valueOf(name), what));
            } else if (!seen.add(name)) {
                problems.add(what + " '" + name + "' appears twice");
            }
        }
        return problems;
    }

    /** An immutable copy of {@code values} that rejects null elements, naming {@code what}. */
    public static <T> List<T> list(@Nullable Collection<? extends T> values, String what) {
        notNull(values, what);
        for (T value : values) {
            notNull(value, "an element of " + what);
        }
        return List.copyOf(values);
    }
}
