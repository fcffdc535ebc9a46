package io.troupe.config;

import java.util.Objects;

/**
 * One mistake in a spec file, with where it is and how to fix it.
 *
 * @param file the file name as the user gave it
 * @param line the 1-based line, or 0 when the problem concerns the whole file
 * @param column the 1-based column, or 0 when the problem concerns the whole file
 * @param message what is wrong, naming the culprit
 * @param hint how to fix it
 */
public record Problem(String file, int line, int column, String message, String hint) {

    public Problem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(hint, "hint");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must not be negative, got " + line + ":" + column);
        }
    }

    /** The problem on one line, as compilers print it: {@code story.yaml:7:5: message — hint}. */
    public String render() {
        String where = line == 0 ? file : file + ":" + line + ":" + column;
        return hint.isEmpty() ? where + ": " + message : where + ": " + message + " — " + hint;
    }

    @Override
    public String toString() {
        return render();
    }
}
