package io.troupe.guard.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** E-mail addresses: RFC 5322 dot-atoms with a dotted domain and a letter top-level domain, Unicode included. */
final class EmailRecognizer implements Recognizer {
    // Possessive quantifiers keep the scan linear on long runs of word characters.
    private static final Pattern EMAIL = Pattern.compile("(?<![\\p{L}\\p{N}._%+\\-])"
            + "[\\p{L}\\p{N}_%+\\-]++(?:\\.[\\p{L}\\p{N}_%+\\-]++)*+"
            + "@"
            + "(?:[\\p{L}\\p{N}][\\p{L}\\p{N}\\-]{0,62}+\\.){1,16}"
            + "\\p{L}{2,24}+(?![\\p{L}\\p{N}\\-@])");
    private static final Pattern OBFUSCATED = Pattern.compile(
            "(?i)(?<![\\w.%+\\-])([a-z0-9_%+\\-]++(?:\\.[a-z0-9_%+\\-]++)*+)\\s*+[\\[(]\\s*+at\\s*+[\\])]\\s*+"
                    + "([a-z0-9\\-]++(?:\\s*+[\\[(]\\s*+dot\\s*+[\\])]\\s*+[a-z0-9\\-]++)++)\\b");
    private static final Pattern OBFUSCATED_AT = Pattern.compile("(?i)[\\[(]\\s*at\\s*[\\])]");

    @Override
    public List<PiiEntity> find(String text) {
        List<PiiEntity> found = new ArrayList<>();
        if (text.indexOf('@') >= 0) {
            Matcher m = EMAIL.matcher(text);
            while (m.find()) {
                String local = m.group().substring(0, m.group().indexOf('@'));
                if (local.length() > 64) {
                    continue;
                }
                found.add(new PiiEntity(PiiType.EMAIL, m.start(), m.end(), m.group(), 0.97));
            }
        }
        if (!OBFUSCATED_AT.matcher(text).find()) {
            return found;
        }
        Matcher m = OBFUSCATED.matcher(text);
        while (m.find()) {
            found.add(new PiiEntity(PiiType.EMAIL, m.start(), m.end(), m.group(), 0.8));
        }
        return found;
    }
}
