package io.troupe.guard.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IBANs, compact or printed in groups of four: a country code, two check digits and the country's number of
 * characters, which must pass the mod-97 check.
 */
final class IbanRecognizer implements Recognizer {
    private static final Pattern START =
            Pattern.compile("(?<![\\p{L}\\p{N}])[A-Za-z]{2}\\d{2}(?=[ \\u00A0]?[A-Za-z0-9])");

    @Override
    public List<PiiEntity> find(String text) {
        List<PiiEntity> found = new ArrayList<>();
        Matcher m = START.matcher(text);
        while (m.find()) {
            String country = text.substring(m.start(), m.start() + 2).toUpperCase(Locale.ROOT);
            Integer length = Checksums.IBAN_LENGTHS.get(country);
            if (length == null) {
                continue;
            }
            StringBuilder compact = new StringBuilder(length);
            int i = m.start();
            int end = -1;
            while (i < text.length() && compact.length() < length) {
                char c = text.charAt(i);
                if (Character.isLetterOrDigit(c) && c < 128) {
                    compact.append(Character.toUpperCase(c));
                    i++;
                    if (compact.length() == length) {
                        end = i;
                    }
                } else if ((c == ' ' || c == '\u00A0')
                        && i + 1 < text.length()
                        && Character.isLetterOrDigit(text.charAt(i + 1))
                        && compact.length() % 4 == 0) {
                    i++; // a single space between groups of four
                } else {
                    break;
                }
            }
            if (end < 0 || (end < text.length() && Character.isLetterOrDigit(text.charAt(end)))) {
                continue;
            }
            if (Checksums.iban(compact.toString())) {
                found.add(new PiiEntity(PiiType.IBAN, m.start(), end, text.substring(m.start(), end), 0.99));
            }
        }
        return found;
    }
}
