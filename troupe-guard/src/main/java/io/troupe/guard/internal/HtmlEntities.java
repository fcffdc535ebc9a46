package io.troupe.guard.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTML character references decoded as a browser reads them, for the checks that must see what a page shows or runs:
 * decimal and hexadecimal ones ({@code &#106;}, {@code &#x6A;}, {@code &#X6A;}), with or without their semicolon, and
 * the named ones that obfuscation uses ({@code &colon;}, {@code &Tab;}, {@code &lt;}, {@code &nbsp;}…), in any case. A
 * reference that names no character is left as it is. Used by the injection rules' views of a text and by the HTML
 * sink check. Stateless.
 */
public final class HtmlEntities {
    private static final Pattern REFERENCE = Pattern.compile("&(#[xX]?[0-9a-fA-F]{1,8}|[a-zA-Z]{2,10});?");

    private HtmlEntities() {}

    /** {@code s} with its character references decoded. */
    public static String decode(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = REFERENCE.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            String e = m.group(1);
            String replacement;
            try {
                if (e.startsWith("#x") || e.startsWith("#X")) {
                    replacement = new String(Character.toChars(Integer.parseInt(e.substring(2), 16)));
                } else if (e.startsWith("#")) {
                    replacement = new String(Character.toChars(Integer.parseInt(e.substring(1))));
                } else {
                    replacement = switch (e.toLowerCase(Locale.ROOT)) {
                        case "colon" -> ":";
                        case "tab" -> "\t";
                        case "newline" -> "\n";
                        case "nbsp" -> " ";
                        case "lpar" -> "(";
                        case "rpar" -> ")";
                        case "amp" -> "&";
                        case "lt" -> "<";
                        case "gt" -> ">";
                        case "quot" -> "\"";
                        case "apos" -> "'";
                        case "sol" -> "/";
                        default -> m.group();
                    };
                }
            } catch (IllegalArgumentException ex) {
                replacement = m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
