package io.troupe.guard.injection;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The de-obfuscated views of a text that injection rules and the classifier read, and the obfuscation signals
 * found on the way.
 *
 * <p>The main view is the visible text with Unicode tag characters and zero-width characters removed, NFKC
 * normalised (full-width and mathematical letters become ASCII), homoglyphs folded in mixed-script words, HTML
 * tags dropped, spaced-out letters joined and whitespace collapsed, in lower case. Hidden views are what a human
 * reader would not see: HTML and markdown comments, elements styled invisible, Unicode tag characters ("ASCII
 * smuggling"). Decoded views are base64, hex and percent-encoded runs that decode to readable text.
 *
 * @param main the visible text, folded
 * @param leet the main view with digits and symbols inside words read as letters ({@code 1gn0re} → {@code ignore})
 * @param hidden the folded text of each hidden part
 * @param decoded the folded text of each decoded part
 * @param zeroWidth how many zero-width or bidi control characters were inside words
 * @param mixedScriptWords how many words mixed Latin with Cyrillic or Greek letters
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
    public TextViews {
        hidden = List.copyOf(hidden);
        decoded = List.copyOf(decoded);
    }

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
    private static final Pattern SPACED = Pattern.compile(
            "(?<![\\p{L}\\p{N}])(?:(?:\\p{L} ){1,200}|(?:\\p{L}[.\\-*]){3,200})\\p{L}(?![\\p{L}\\p{N}])");
    private static final Pattern BASE64 =
            Pattern.compile("(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=])");
    private static final Pattern BASE64_URL =
            Pattern.compile("(?<![A-Za-z0-9_\\-=])[A-Za-z0-9_\\-]{20,}={0,2}(?![A-Za-z0-9_\\-=])");
    // Single character classes, not repeated groups: a repeated group recurses once per repetition and overflows
    // the stack on long runs; candidates are validated in code.
    private static final Pattern HEX =
            Pattern.compile("(?<![0-9A-Fa-f])[0-9A-Fa-f][0-9A-Fa-f :]{22,8192}[0-9A-Fa-f](?![0-9A-Fa-f])");
    private static final Pattern PERCENT = Pattern.compile("[^\\s%]{0,3}%[0-9A-Fa-f]{2}[^\\s]{16,4096}");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{M}\\p{N}@$]+");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    /** Views longer than this are cut: rules run on the whole text, but decoding and folding need a bound. */
    static final int MAX_DECODED = 16;

    private static final Map<Character, Character> HOMOGLYPHS = homoglyphs();

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
            hidden.add(fold(tags.toString()));
        }
        String raw = jsonEscapes(visible.toString());

        // 2. Hidden markup.
        collect(HTML_COMMENT, raw, 1, hidden);
        collect(MD_COMMENT, raw, 1, hidden);
        collect(INVISIBLE_ELEMENT, raw, 2, hidden);
        collect(HIDDEN_ATTRIBUTE, raw, 2, hidden);
        String withoutComments = HTML_COMMENT.matcher(raw).replaceAll(" ");
        String textOnly = raw.indexOf('<') >= 0 ? TAG.matcher(withoutComments).replaceAll(" ") : withoutComments;
        textOnly = htmlEntities(textOnly);

        // 3. Encoded runs.
        decodeAll(BASE64, raw, decoded, TextViews::base64);
        decodeAll(BASE64_URL, raw, decoded, s -> base64(s.replace('-', '+').replace('_', '/')));
        decodeAll(HEX, raw, decoded, TextViews::hex);
        decodeAll(PERCENT, raw, decoded, TextViews::percent);

        int[] mixed = new int[1];
        String main = fold(textOnly, mixed);
        String leet = leet(main);
        return new TextViews(main, leet, hidden, decoded, zeroWidth, mixed[0], tagCount);
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

    static String fold(String text) {
        return fold(text, new int[1]);
    }

    private static String fold(String text, int[] mixedScriptWords) {
        String n = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(n.length());
        Matcher w = WORD.matcher(n);
        int at = 0;
        while (w.find()) {
            out.append(n, at, w.start());
            String word = w.group();
            if (mixedScript(word)) {
                mixedScriptWords[0]++;
                for (int i = 0; i < word.length(); i++) {
                    char c = word.charAt(i);
                    out.append(HOMOGLYPHS.getOrDefault(c, c));
                }
            } else {
                out.append(word);
            }
            at = w.end();
        }
        out.append(n, at, n.length());
        String lower = out.toString().toLowerCase(Locale.ROOT);
        Matcher spaced = SPACED.matcher(lower);
        StringBuilder joined = new StringBuilder(lower.length());
        while (spaced.find()) {
            spaced.appendReplacement(
                    joined, Matcher.quoteReplacement(spaced.group().replaceAll("[ .\\-*]", "")));
        }
        spaced.appendTail(joined);
        return SPACES.matcher(joined).replaceAll(" ").strip();
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

    private static boolean mixedScript(String word) {
        boolean latin = false;
        boolean other = false;
        for (int i = 0; i < word.length(); i++) {
            Character.UnicodeScript script = Character.UnicodeScript.of(word.charAt(i));
            if (script == Character.UnicodeScript.LATIN) {
                latin = true;
            } else if (script == Character.UnicodeScript.CYRILLIC
                    || script == Character.UnicodeScript.GREEK
                    || script == Character.UnicodeScript.ARMENIAN
                    || script == Character.UnicodeScript.CHEROKEE) {
                other = true;
            }
        }
        return latin && other;
    }

    private static String leet(String main) {
        StringBuilder out = new StringBuilder(main.length());
        Matcher w = WORD.matcher(main);
        int at = 0;
        while (w.find()) {
            out.append(main, at, w.start());
            String word = w.group();
            boolean letters = word.chars().anyMatch(Character::isLetter);
            boolean others = word.chars().anyMatch(c -> Character.isDigit(c) || c == '@' || c == '$');
            if (letters && others && word.length() >= 2) {
                for (int i = 0; i < word.length(); i++) {
                    char c = word.charAt(i);
                    out.append(
                            switch (c) {
                                case '0' -> 'o';
                                case '1' -> 'i';
                                case '3' -> 'e';
                                case '4', '@' -> 'a';
                                case '5', '$' -> 's';
                                case '7' -> 't';
                                default -> c;
                            });
                }
            } else {
                out.append(word);
            }
            at = w.end();
        }
        out.append(main, at, main.length());
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

    private static void collect(Pattern pattern, String text, int group, List<String> into) {
        if (text.indexOf('<') < 0 && text.indexOf('[') < 0) {
            return;
        }
        Matcher m = pattern.matcher(text);
        while (m.find() && into.size() < 64) {
            String inner = m.group(group);
            if (inner != null && !inner.isBlank()) {
                into.add(fold(htmlEntities(TAG.matcher(inner).replaceAll(" "))));
            }
        }
    }

    private interface Decoder {
        String decode(String s);
    }

    private static void decodeAll(Pattern pattern, String text, List<String> into, Decoder decoder) {
        Matcher m = pattern.matcher(text);
        while (m.find() && into.size() < MAX_DECODED) {
            String decodedText = decoder.decode(m.group());
            if (decodedText != null && readable(decodedText)) {
                String folded = fold(decodedText);
                if (!into.contains(folded)) {
                    into.add(folded);
                }
            }
        }
    }

    private static String base64(String s) {
        String t = s.replaceAll("=+$", "");
        if (t.length() % 4 == 1
                || t.chars().noneMatch(Character::isLowerCase)
                || t.chars().noneMatch(Character::isUpperCase)) {
            return null;
        }
        try {
            return utf8(Base64.getDecoder().decode(t + "=".repeat((4 - t.length() % 4) % 4)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String hex(String s) {
        String t = s.replaceAll("[ :]", "");
        if (t.length() % 2 != 0) {
            return null;
        }
        byte[] bytes = new byte[t.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(t.substring(2 * i, 2 * i + 2), 16);
        }
        return utf8(bytes);
    }

    private static String percent(String s) {
        if (Pattern.compile("%[0-9A-Fa-f]{2}").matcher(s).results().count() < 6) {
            return null;
        }
        try {
            return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Mostly letters and spaces, with a few words: decoded noise (hashes, ids) is not worth reading. */
    private static boolean readable(String s) {
        if (s.length() < 8) {
            return false;
        }
        long letters = s.chars().filter(c -> Character.isLetter(c) || c == ' ').count();
        long control = s.chars()
                .filter(c -> Character.isISOControl(c) && c != '\n' && c != '\t' && c != '\r')
                .count();
        return control == 0 && letters >= 0.7 * s.length() && s.indexOf(' ') >= 0;
    }

    private static String htmlEntities(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = Pattern.compile("&(#x?[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});").matcher(s);
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
                    replacement = switch (e) {
                        case "lt" -> "<";
                        case "gt" -> ">";
                        case "amp" -> "&";
                        case "quot" -> "\"";
                        case "apos" -> "'";
                        case "nbsp" -> " ";
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

    private static Map<Character, Character> homoglyphs() {
        String from = "АВЕКМНОРСТХаеорсухіјѕԁһӏԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοιρνυκτԌɡ";
        String to = "ABEKMHOPCTXaeopcyxijsdhlqwABEZHIKMNOPTYXaoipvuktGg";
        java.util.HashMap<Character, Character> map = new java.util.HashMap<>();
        for (int i = 0; i < from.length(); i++) {
            map.put(from.charAt(i), to.charAt(i));
        }
        return Map.copyOf(map);
    }
}
