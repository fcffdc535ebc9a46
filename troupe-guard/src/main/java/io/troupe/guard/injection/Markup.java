package io.troupe.guard.injection;

import io.troupe.guard.internal.HtmlEntities;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The markup in a text as {@link TextViews} reads it: the parts a reader of the rendered page would not see (HTML and
 * markdown comments, elements styled invisible or marked {@code hidden} or {@code aria-hidden}), each folded, and the
 * text a reader sees, without comments and tags and with HTML entities read as their characters. Pure functions.
 */
final class Markup {
    private static final Pattern HTML_COMMENT = Pattern.compile("<!--(.*?)(?:-->|$)", Pattern.DOTALL);
    private static final Pattern MD_COMMENT =
            Pattern.compile("(?m)^\\s*\\[(?://|comment)]:\\s*#\\s*[(\"'](.*)[)\"']\\s*$");
    private static final Pattern INVISIBLE_ELEMENT = Pattern.compile(
            "(?is)<(\\w+)[^>]{0,2000}?style\\s*=\\s*[\"'][^\"']*(?:display\\s*:\\s*none|visibility\\s*:\\s*hidden|"
                    + "font-size\\s*:\\s*0|opacity\\s*:\\s*0|color\\s*:\\s*(?:white|#fff\\b|#ffffff)|height\\s*:\\s*0)"
                    + "[^\"']*[\"'][^>]*>(.{0,4000}?)(?:</\\1>|</\\w+>|$)");
    private static final Pattern HIDDEN_ATTRIBUTE = Pattern.compile(
            "(?is)<(\\w+)[^>]{0,2000}?\\s(?:hidden|aria-hidden\\s*=\\s*[\"']true[\"'])[^>]*>(.{0,4000}?)</\\1>");
    private static final Pattern TAG = Pattern.compile("<[a-zA-Z/!][^>]{0,2000}>");
    /** Hidden parts are collected until the list holds this many. */
    private static final int MAX_HIDDEN = 64;

    private Markup() {}

    /** Adds the folded text of each hidden part of {@code text} to {@code into}, until it holds 64. */
    static void hidden(String text, List<String> into) {
        collect(HTML_COMMENT, text, 1, into);
        collect(MD_COMMENT, text, 1, into);
        collect(INVISIBLE_ELEMENT, text, 2, into);
        collect(HIDDEN_ATTRIBUTE, text, 2, into);
    }

    /** {@code text} without HTML comments and tags, each replaced by a space, and with HTML entities read. */
    static String visible(String text) {
        String withoutComments = HTML_COMMENT.matcher(text).replaceAll(" ");
        String textOnly = text.indexOf('<') >= 0 ? TAG.matcher(withoutComments).replaceAll(" ") : withoutComments;
        return HtmlEntities.decode(textOnly);
    }

    private static void collect(Pattern pattern, String text, int group, List<String> into) {
        if (text.indexOf('<') < 0 && text.indexOf('[') < 0) {
            return;
        }
        Matcher m = pattern.matcher(text);
        while (m.find() && into.size() < MAX_HIDDEN) {
            String inner = m.group(group);
            if (inner != null && !inner.isBlank()) {
                into.add(Folding.fold(HtmlEntities.decode(TAG.matcher(inner).replaceAll(" "))));
            }
        }
    }
}
