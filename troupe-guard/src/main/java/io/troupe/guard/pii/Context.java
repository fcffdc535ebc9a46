package io.troupe.guard.pii;

import java.util.Locale;
import java.util.regex.Pattern;

/** Looks at the words around a candidate: context raises or lowers a recogniser's confidence. */
final class Context {
    private Context() {}

    /** Words that announce a number that is not personal data: orders, invoices, tracking, versions, ISBNs. */
    static final Pattern NOT_PERSONAL = Pattern.compile(
            "(?iu)(?<![\\p{L}])(order|invoice|inv|ref|reference|ticket|case|tracking|shipment|parcel|awb|isbn|issn|sku|"
                    + "serial|s/n|version|ver|build|release|patch|part|model|item|article|art\\.?|product|batch|lot|"
                    + "account no|po|receipt|booking|confirmation|transaction|txn|id|no\\.|nr\\.?|n°|#|"
                    + "bestell|rechnung|auftrag|sendung|commande|facture|pedido|factura|ordine|fattura)"
                    + "[\\s:.#-]*(number|no\\.?|nr\\.?|num|#|id|code)?[\\s:.#-]*$");

    /** The {@code window} chars before {@code start}, lower-cased. */
    static String before(String text, int start, int window) {
        return text.substring(Math.max(0, start - window), start).toLowerCase(Locale.ROOT);
    }

    /** The {@code window} chars after {@code end}, lower-cased. */
    static String after(String text, int end, int window) {
        return text.substring(end, Math.min(text.length(), end + window)).toLowerCase(Locale.ROOT);
    }

    /** Whether {@code cue} matches somewhere in the {@code window} chars before {@code start}. */
    static boolean cueBefore(String text, int start, int window, Pattern cue) {
        return cue.matcher(before(text, start, window)).find();
    }

    /** Whether the text just before {@code start} labels what follows as an order, tracking or version number. */
    static boolean labelledNotPersonal(String text, int start) {
        return NOT_PERSONAL.matcher(before(text, start, 24)).find();
    }

    /** The digits of {@code s}. */
    static String digits(CharSequence s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                out.append(c);
            }
        }
        return out.toString();
    }
}
