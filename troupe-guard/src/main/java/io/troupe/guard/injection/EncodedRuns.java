package io.troupe.guard.injection;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The encoded runs in a text that {@link TextViews} decodes: base64 (standard and URL-safe, with both upper- and
 * lower-case letters), hex (bytes may be separated by spaces or colons) and percent-encoding (six escapes at least).
 * A run counts only if it decodes (base64 and hex to valid UTF-8) to text that reads as words: mostly letters and
 * spaces, no control characters; decoded noise such as hashes and ids is dropped. Each decoded text is folded and kept
 * once. ROT13 (each letter moved 13 places) has no marks to find it by, so a folded text is read in ROT13 too, and
 * kept when that reading names what injections talk about (see {@link #rot13}). Pure functions.
 */
final class EncodedRuns {
    private static final Pattern BASE64 =
            Pattern.compile("(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=])");
    private static final Pattern BASE64_URL =
            Pattern.compile("(?<![A-Za-z0-9_\\-=])[A-Za-z0-9_\\-]{20,}={0,2}(?![A-Za-z0-9_\\-=])");
    // Single character classes, not repeated groups: a repeated group recurses once per repetition and overflows
    // the stack on long runs; candidates are validated in code.
    private static final Pattern HEX =
            Pattern.compile("(?<![0-9A-Fa-f])[0-9A-Fa-f][0-9A-Fa-f :]{22,8192}[0-9A-Fa-f](?![0-9A-Fa-f])");
    private static final Pattern PERCENT = Pattern.compile("[^\\s%]{0,3}%[0-9A-Fa-f]{2}[^\\s]{16,4096}");
    private static final Pattern PERCENT_ESCAPE = Pattern.compile("%[0-9A-Fa-f]{2}");
    /** The escape of an ASCII letter ({@code %41}-{@code %5A}, {@code %61}-{@code %7A}). */
    private static final Pattern LETTER_ESCAPE = Pattern.compile("%(?:4[1-9A-Fa-f]|5[0-9Aa]|6[1-9A-Fa-f]|7[0-9Aa])");
    /** The escape of an ASCII letter, digit or space: what {@link #percentInPlace} reads. */
    private static final Pattern WORD_ESCAPE =
            Pattern.compile("%(?:4[1-9A-Fa-f]|5[0-9Aa]|6[1-9A-Fa-f]|7[0-9Aa]|3[0-9]|20)");
    /** Decoded texts are collected until the list holds this many: decoding and folding need a bound. */
    private static final int MAX_DECODED = 16;

    /** Words of which one in a text's ROT13 or backwards reading makes that reading worth the rules' time. */
    private static final List<String> CUES = List.of(
            "ignore", "disregard", "instruction", "previous", "prompt", "reveal", "password", "secret", "assistant");

    private EncodedRuns() {}

    /**
     * The backwards reading of {@code folded} (a folded, lower-case text) if it contains one of the words injections
     * use, else null: as with {@link #rot13}, a reading that names none of them is not worth the rules' time.
     */
    static @Nullable String reversed(String folded) {
        String read = new StringBuilder(folded).reverse().toString();
        return namesInjectionWords(read) ? read : null;
    }

    private static boolean namesInjectionWords(String read) {
        for (String cue : CUES) {
            if (read.contains(cue)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The ROT13 reading of {@code folded} (a folded, lower-case text) if it contains one of the words injections use
     * ({@code ignore}, {@code instruction}, {@code prompt}...), else null: English text read in ROT13 is noise that
     * seldom spells one, so the reading is seldom kept, and the rules do not scan every text twice.
     */
    static @Nullable String rot13(String folded) {
        StringBuilder out = new StringBuilder(folded.length());
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            out.append(c >= 'a' && c <= 'z' ? (char) ('a' + (c - 'a' + 13) % 26) : c);
        }
        String read = out.toString();
        return namesInjectionWords(read) ? read : null;
    }

    /** Adds the folded text of each readable run of {@code text} to {@code into}, once each, until it holds 16. */
    static void decode(String text, List<String> into) {
        decodeAll(BASE64, text, into, EncodedRuns::base64);
        decodeAll(BASE64_URL, text, into, s -> base64(s.replace('-', '+').replace('_', '/')));
        decodeAll(HEX, text, into, EncodedRuns::hex);
        decodeAll(PERCENT, text, into, EncodedRuns::percent);
    }

    /**
     * {@code text} with the percent escapes of letters, digits and spaces read where they stand, if it escapes two
     * letters at least, else null. A word or two escaped inside plain text ({@code please %69%67%6E%6F%72%65 all
     * previous instructions}) is too short to be a run of its own; text seldom escapes letters unless to hide them
     * (URLs escape spaces and symbols), so such a text is read once more with them decoded.
     */
    static @Nullable String percentInPlace(String text) {
        if (text.indexOf('%') < 0
                || LETTER_ESCAPE.matcher(text).results().limit(2).count() < 2) {
            return null;
        }
        return WORD_ESCAPE
                .matcher(text)
                .replaceAll(
                        m -> String.valueOf((char) Integer.parseInt(m.group().substring(1), 16)));
    }

    private static void decodeAll(
            Pattern pattern, String text, List<String> into, Function<String, @Nullable String> decoder) {
        Matcher m = pattern.matcher(text);
        while (m.find() && into.size() < MAX_DECODED) {
            String decodedText = decoder.apply(m.group());
            if (decodedText != null && readable(decodedText)) {
                String folded = Folding.fold(decodedText);
                if (!into.contains(folded)) {
                    into.add(folded);
                }
            }
        }
    }

    private static @Nullable String base64(String s) {
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

    private static @Nullable String hex(String s) {
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

    private static @Nullable String percent(String s) {
        if (PERCENT_ESCAPE.matcher(s).results().count() < 6) {
            return null;
        }
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static @Nullable String utf8(byte[] bytes) {
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
}
