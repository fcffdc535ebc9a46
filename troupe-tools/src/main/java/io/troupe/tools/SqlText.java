package io.troupe.tools;

/** A lexical look at SQL text: whether it holds one statement, ignoring {@code ;} in quotes and comments. */
final class SqlText {
    private SqlText() {}

    /** Whether {@code sql} is one statement, perhaps ending in one {@code ;}. */
    static boolean isOneStatement(String sql) {
        boolean ended = false;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end;
                continue;
            }
            if (c == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 1;
                continue;
            }
            if (ended) {
                return false; // text after the ';'
            }
            if (c == '\'' || c == '"' || c == '`') {
                int end = i + 1;
                while (end < sql.length()) {
                    if (sql.charAt(end) == c) {
                        if (end + 1 < sql.length() && sql.charAt(end + 1) == c) {
                            end += 2; // a doubled quote inside the literal
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                i = end;
            } else if (c == ';') {
                ended = true;
            }
        }
        return true;
    }
}
