package io.troupe.guard.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Payment card numbers: 12–19 digits, plain or grouped with one kind of separator, that pass the Luhn check and
 * start with a known issuer prefix of the right length. A number labelled as an order or tracking number is
 * rejected; card words nearby raise the confidence.
 */
final class CardRecognizer implements Recognizer {
    private static final Pattern CANDIDATE = Pattern.compile("(?<![\\p{N}\\-.,/])\\d(?:[ \\-]?\\d){11,22}+");
    private static final Pattern CUE = Pattern.compile(
            "(?iu)(card|visa|master|amex|american express|discover|jcb|diners|maestro|unionpay|credit|debit|cc\\b|"
                    + "ccn|pan\\b|karte|kreditkarte|carte|cb\\b|tarjeta|carta|cartão|cart[aã]o|kaart|карт)");

    @Override
    public List<PiiEntity> find(String text) {
        List<PiiEntity> found = new ArrayList<>();
        Matcher m = CANDIDATE.matcher(text);
        while (m.find()) {
            PiiEntity card = longestValid(text, m.start(), m.end());
            if (card != null) {
                found.add(card);
            }
        }
        return found;
    }

    private static PiiEntity longestValid(String text, int start, int end) {
        String raw = text.substring(start, end);
        // Candidate ends: after each digit that closes a group (before a separator or at the end).
        for (int e = raw.length(); e > 0; e--) {
            if (!Character.isDigit(raw.charAt(e - 1)) || (e < raw.length() && Character.isDigit(raw.charAt(e)))) {
                continue;
            }
            String candidate = raw.substring(0, e);
            String digits = Context.digits(candidate);
            if (digits.length() < 12) {
                break;
            }
            if (digits.length() > 19 || !consistentGroups(candidate)) {
                continue;
            }
            if (Checksums.luhn(digits) && Checksums.cardIssuer(digits)) {
                int absoluteEnd = start + e;
                if (absoluteEnd < text.length() && Character.isLetterOrDigit(text.charAt(absoluteEnd))) {
                    continue;
                }
                double confidence = Context.labelledNotPersonal(text, start)
                        ? 0.4
                        : Context.cueBefore(text, start, 40, CUE) ? 0.99 : 0.92;
                return new PiiEntity(PiiType.CREDIT_CARD, start, absoluteEnd, candidate, confidence);
            }
        }
        return null;
    }

    /** No separators, or one kind of separator between groups of 3 to 6 digits (4-4-4-4, 4-6-5, 4-4-4-4-3…). */
    private static boolean consistentGroups(String candidate) {
        boolean space = candidate.indexOf(' ') >= 0;
        boolean dash = candidate.indexOf('-') >= 0;
        if (!space && !dash) {
            return true;
        }
        if (space && dash) {
            return false;
        }
        String[] groups = candidate.split(space ? " " : "-");
        for (int i = 0; i < groups.length; i++) {
            int n = groups[i].length();
            boolean last = i == groups.length - 1;
            if (n > 6 || (n < 3 && !last) || n < 1) {
                return false;
            }
        }
        return groups[0].length() == 4;
    }
}
