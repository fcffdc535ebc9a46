package io.troupe.guard.injection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The de-obfuscated views of a text that injection rules and the classifier read, and the obfuscation signals
 * found on the way.
 *
 * <p>The main view is the visible text with Unicode tag characters and zero-width characters removed, NFKC
 * normalised (full-width and mathematical letters become ASCII), homoglyphs folded in mixed-script words, HTML
 * tags dropped, spaced-out letters joined and whitespace collapsed, in lower case. Hidden views are what a human
 * reader would not see: HTML and markdown comments, elements styled invisible, Unicode tag characters ("ASCII
 * smuggling"). Decoded views are base64, hex and percent-encoded runs that decode to readable text, the text with
 * escaped letters read in place, words glued by underscores, plus signs or capitals read apart, and the ROT13 and
 * backwards readings of the text when they name what injections talk about. The markup is
 * read by {@code Markup}, encoded runs by {@code EncodedRuns}, and each view folded by {@code Folding}.
 *
 * @param main the visible text, folded
 * @param leet the main view with digits and symbols inside words read as letters ({@code 1gn0re} → {@code ignore})
 * @param hidden the folded text of each hidden part
 * @param decoded the folded text of each decoded part
 * @param zeroWidth how many zero-width, bidi control and other invisible characters (soft hyphens, invisible
 *     operators) were removed
 * @param mixedScriptWords how many words mixed Latin with Cyrillic, Greek, Armenian or Cherokee letters
 * @param tagCharacters how many Unicode tag characters were found
 */
public record TextViews(
        String main,
        String leet,
        List<String> hidden,
        List<String> decoded,
        int zeroWidth,
        int mixedScriptWords,
        int tagCharacters) {
    /** Chat markup written as tags, which the HTML view drops. */
    private static final Pattern CHAT_TAG = Pattern.compile(
            "(?i)<\\s*/?\\s*(?:system|system_prompt|sys|user|assistant|admin|instructions?|developer)\\s*>");

    public TextViews {
        hidden = List.copyOf(hidden);
        decoded = List.copyOf(decoded);
    }

    /** The views of {@code text}. Linear in its length. */
    public static TextViews of(String text) {
        List<String> hidden = new ArrayList<>();
        List<String> decoded = new ArrayList<>();

        // 1. Unicode tag characters (U+E0000..U+E007F) carry invisible ASCII.
        StringBuilder visible = new StringBuilder(text.length());
        StringBuilder tags = new StringBuilder();
        int tagCount = 0;
        int zeroWidth = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp >= 0xE0000 && cp <= 0xE007F) {
                tagCount++;
                if (cp >= 0xE0020 && cp <= 0xE007E) {
                    tags.append((char) (cp - 0xE0000));
                }
            } else if (isInvisible(cp)) {
                zeroWidth++;
            } else if (cp >= 0xFE00 && cp <= 0xFE0F) {
                // variation selectors: dropped silently
            } else {
                visible.appendCodePoint(cp);
            }
        }
        if (!tags.isEmpty()) {
            hidden.add(Folding.fold(tags.toString()));
        }
        String raw = jsonEscapes(visible.toString());

        // 2. Hidden markup.
        Markup.hidden(raw, hidden);
        String textOnly = Markup.visible(raw);

        // 3. Encoded runs.
        EncodedRuns.decode(raw, decoded);

        int[] mixed = new int[1];
        String main = Folding.fold(textOnly, mixed);
        String leet = Folding.leet(main);
        // Chat markup written as tags (<system>, </user>) is not HTML: read the text with it too.
        if (CHAT_TAG.matcher(raw).find()) {
            addRead(Folding.fold(raw), main, decoded);
        }
        String inPlace = EncodedRuns.percentInPlace(textOnly);
        addRead(inPlace == null ? null : Folding.fold(inPlace), main, decoded);
        String apart = Folding.wordsApart(textOnly);
        addRead(apart == null ? null : Folding.fold(apart), main, decoded);
        addRead(EncodedRuns.rot13(main), main, decoded);
        addRead(EncodedRuns.reversed(main), main, decoded);
        return new TextViews(main, leet, hidden, decoded, zeroWidth, mixed[0], tagCount);
    }

    /** Adds {@code read}, another reading of the text, to {@code decoded} unless it is null or already there. */
    private static void addRead(@Nullable String read, String main, List<String> decoded) {
        if (read != null && !read.equals(main) && !decoded.contains(read)) {
            decoded.add(read);
        }
    }

    /** Every view that rules read, with where it came from: {@code text}, {@code leet}, {@code hidden}, {@code decoded}. */
    public List<Map.Entry<String, String>> all() {
        List<Map.Entry<String, String>> views = new ArrayList<>();
        views.add(Map.entry("text", main));
        if (!leet.equals(main)) {
            views.add(Map.entry("leet", leet));
        }
        hidden.forEach(h -> views.add(Map.entry("hidden", h)));
        decoded.forEach(d -> views.add(Map.entry("decoded", d)));
        return views;
    }

    /**
     * JSON string escapes read as the characters they stand for: tool results are often JSON, where a newline is
     * the two characters {@code \n} and would glue the words around it, and {@code \u0069gnore} hides a word.
     */
    static String jsonEscapes(String text) {
        if (text.indexOf('\\') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 >= text.length()) {
                out.append(c);
                continue;
            }
            char next = text.charAt(i + 1);
            switch (next) {
                case 'n', 'r', 't', 'f', 'b' -> {
                    out.append(' ');
                    i++;
                }
                case '"', '/', '\\' -> {
                    out.append(next);
                    i++;
                }
                case 'u' -> {
                    if (i + 5 < text.length()
                            && text.substring(i + 2, i + 6).chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                        out.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
                        i += 5;
                    } else {
                        out.append(c);
                    }
                }
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isInvisible(int cp) {
        return cp == 0x200B
                || cp == 0x200C
                || cp == 0x200D
                || cp == 0x2060
                || cp == 0xFEFF
                || cp == 0x00AD
                || cp == 0x180E
                || cp == 0x2061
                || cp == 0x2062
                || cp == 0x2063
                || cp == 0x2064
                || (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x2066 && cp <= 0x2069)
                || cp == 0x200E
                || cp == 0x200F;
    }
}
