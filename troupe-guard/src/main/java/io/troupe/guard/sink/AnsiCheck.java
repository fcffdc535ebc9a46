package io.troupe.guard.sink;

import java.util.ArrayList;
import java.util.List;

/**
 * Terminal escapes: ESC and CSI sequences (colours, cursor moves, screen clearing), OSC sequences (window titles,
 * hyperlinks, clipboard writes through OSC 52), other C0 and C1 control characters, and carriage returns that
 * overwrite a line. Tabs and newlines pass. Use it for anything printed to a terminal or written to a log.
 */
public final class AnsiCheck implements SinkCheck {
    @Override
    public List<Violation> check(String value) {
        List<Violation> violations = new ArrayList<>();
        boolean control = false;
        boolean carriage = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0x1B) {
                char next = i + 1 < value.length() ? value.charAt(i + 1) : ' ';
                String kind = switch (next) {
                    case '[' -> "a CSI sequence (colours, cursor moves, erasing)";
                    case ']' -> "an OSC sequence (window title, hyperlink or clipboard write)";
                    case 'P' -> "a DCS sequence";
                    default -> "an escape sequence";
                };
                violations.add(new Violation("ansi.escape", "the text contains " + kind + " at index " + i));
                return violations;
            }
            if (c == 0x9B || c == 0x9D) {
                violations.add(new Violation("ansi.escape", "the text contains an 8-bit C1 escape at index " + i));
                return violations;
            }
            if (c == '\r' && (i + 1 >= value.length() || value.charAt(i + 1) != '\n')) {
                carriage = true;
            } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
                control = true;
            }
        }
        if (control) {
            violations.add(new Violation("ansi.control", "the text contains control characters (bell, backspace…)"));
        }
        if (carriage) {
            violations.add(new Violation(
                    "ansi.carriage-return", "the text contains a carriage return that can overwrite a line"));
        }
        return violations;
    }

    /** {@code value} without escape sequences and control characters (tabs and newlines stay). */
    public static String strip(String value) {
        String noSequences = value.replaceAll("\u001B\\[[0-?]*[ -/]*[@-~]", "")
                .replaceAll("\u001B\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)?", "")
                .replaceAll("\u001B.", "");
        StringBuilder out = new StringBuilder(noSequences.length());
        for (char c : noSequences.toCharArray()) {
            if (c == '\t' || c == '\n' || (c >= 0x20 && c != 0x7F && !(c >= 0x80 && c < 0xA0))) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
