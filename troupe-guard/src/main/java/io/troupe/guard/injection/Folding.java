package io.troupe.guard.injection;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How {@link TextViews} folds a text into the form rules read: NFKC normalised (full-width and mathematical letters
 * become ASCII), homoglyphs folded in words that mix Latin with Cyrillic, Greek, Armenian or Cherokee letters,
 * pictographs (emoji) read as spaces, markdown emphasis dropped ({@code **ignore** *all*}), spaced-out letters joined
 * ({@code i g n o r e}, {@code i.g.n.o.r.e}, {@code a.l.l}), whitespace collapsed, in lower case; and the leet reading
 * of a folded text, where digits and symbols inside words are the letters they stand for and hyphens inside words
 * are dropped ({@code ig-nore}). Pure functions.
 */
final class Folding {
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{M}\\p{N}@$]+");
    private static final Pattern SPACED = Pattern.compile(
            "(?<![\\p{L}\\p{N}])(?:(?:\\p{L} ){1,200}|(?:\\p{L}[.\\-*]){2,200})\\p{L}(?![\\p{L}\\p{N}])");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    /** Markdown emphasis and code marks at a word's edge ({@code **bold**}, {@code _it_}, {@code `code`}). */
    private static final Pattern EMPHASIS = Pattern.compile(
            "(?<![\\p{L}\\p{N}])[*_~`]{1,3}(?=[\\p{L}\\p{N}])|(?<=[\\p{L}\\p{N}])[*_~`]{1,3}(?![\\p{L}\\p{N}])");
    /** A hyphen (or a middle dot) between two letters. */
    private static final Pattern INNER_HYPHEN = Pattern.compile("(?<=\\p{L})[\\-\u00B7\u2027\u2010\u2011](?=\\p{L})");

    private static final Map<Character, Character> HOMOGLYPHS = homoglyphs();

    /**
     * A token of three words or more glued by underscores or plus signs, or in {@code CamelCase}, or of four or more
     * chained by hyphens (where {@code well-known} is one word); letters only, so that base64 and ids are not read.
     */
    private static final Pattern GLUED = Pattern.compile("(?<![\\p{L}\\p{N}_+\\-])(?:\\p{L}+(?:[_+]\\p{L}+){2,}"
            + "|\\p{L}+(?:-\\p{L}+){3,}|\\p{L}\\p{Ll}+(?:\\p{Lu}\\p{Ll}+){2,})(?![\\p{L}\\p{N}_+\\-])");

    private static final Pattern HUMP = Pattern.compile("[_+\\-]|(?<=\\p{Ll})(?=\\p{Lu})");

    private Folding() {}

    /** {@code text} folded. */
    static String fold(String text) {
        return fold(text, new int[1]);
    }

    /** {@code text} folded, adding to {@code mixedScriptWords[0]} the words that mixed scripts. */
    static String fold(String text, int[] mixedScriptWords) {
        String n = pictographsAsSpaces(Normalizer.normalize(text, Normalizer.Form.NFKC));
        String unmixed = eachWord(n, word -> {
            if (!mixedScript(word)) {
                return word;
            }
            mixedScriptWords[0]++;
            StringBuilder out = new StringBuilder(word.length());
            for (int i = 0; i < word.length(); i++) {
                char c = word.charAt(i);
                // Cherokee small letters look like small capitals: they are read as their capitals.
                Character latin = HOMOGLYPHS.get(
                        Character.UnicodeScript.of(c) == Character.UnicodeScript.CHEROKEE
                                ? Character.toUpperCase(c)
                                : c);
                out.append(latin != null ? latin : c);
            }
            return out.toString();
        });
        String lower = EMPHASIS.matcher(unmixed.toLowerCase(Locale.ROOT)).replaceAll("");
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
     * {@code main} with digits and symbols inside words read as letters ({@code 1gn0re} → {@code ignore}) and hyphens
     * inside words dropped ({@code ig-nore} → {@code ignore}).
     */
    static String leet(String main) {
        return eachWord(INNER_HYPHEN.matcher(main).replaceAll(""), word -> {
            boolean letters = word.chars().anyMatch(Character::isLetter);
            boolean others = word.chars().anyMatch(c -> Character.isDigit(c) || c == '@' || c == '$');
            if (!letters || !others || word.length() < 2) {
                return word;
            }
            StringBuilder out = new StringBuilder(word.length());
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
            return out.toString();
        });
    }

    /**
     * {@code text} with its pictographs (emoji, dingbats: other symbols and modifier symbols) as spaces: a word
     * between emoji is a word ({@code ignore🙂all}).
     */
    private static String pictographsAsSpaces(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int type = Character.getType(cp);
            boolean pictograph = type == Character.OTHER_SYMBOL || type == Character.MODIFIER_SYMBOL;
            if (pictograph && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                if (pictograph) {
                    out.append(' ');
                } else {
                    out.appendCodePoint(cp);
                }
            }
            i += Character.charCount(cp);
        }
        return out == null ? text : out.toString();
    }

    /** {@code text} with each word (letters, marks, digits, {@code @} and {@code $}) replaced by {@code word}'s. */
    private static String eachWord(String text, UnaryOperator<String> word) {
        StringBuilder out = new StringBuilder(text.length());
        Matcher w = WORD.matcher(text);
        int at = 0;
        while (w.find()) {
            out.append(text, at, w.start());
            out.append(word.apply(w.group()));
            at = w.end();
        }
        out.append(text, at, text.length());
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

    /**
     * {@code text} with words glued into one token read apart ({@code ignore_all_previous}, {@code
     * ignore+all+previous}, {@code IgnoreAllPrevious}, {@code ignore-all-previous-instructions} → {@code ignore all
     * previous}), or null if it glues none.
     */
    static @Nullable String wordsApart(String text) {
        Matcher glued = GLUED.matcher(text);
        return glued.find() ? glued.replaceAll(m -> HUMP.matcher(m.group()).replaceAll(" ")) : null;
    }

    private static Map<Character, Character> homoglyphs() {
        // The look-alikes of Latin letters in each script that isMixedScript counts (Cyrillic, Greek, Armenian,
        // Cherokee). They are read after NFKC, which turns the lunate sigma (U+03F2, a c) into the final sigma.
        String from = "АВЕКМНОРСТХаеорсухіјѕԁһӏԛԝІЈЅҺҮүԚԜԀΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοιρνυκτςϳԌօսհոցզյɡᎪᏴᏟᎬᎻᎫᏦᎷᏢᏚᎢᎳᏃᎠᏀᏞᏒᏙ";
        String to = "ABEKMHOPCTXaeopcyxijsdhlqwIJSHYyQWdABEZHIKMNOPTYXaoipvuktcjGouhngqjgABCEHJKMPSTWZDGLRV";
        HashMap<Character, Character> map = new HashMap<>();
        for (int i = 0; i < from.length(); i++) {
            map.put(from.charAt(i), to.charAt(i));
        }
        return Map.copyOf(map);
    }
}
