package io.troupe.guard.pii;

import java.math.BigInteger;
import java.util.Map;

/** The validity checks behind the checksummed PII types: Luhn, IBAN mod-97 with per-country lengths, US SSN rules. */
public final class Checksums {
    private Checksums() {}

    /** IBAN lengths by country (ISO 13616 registry, including the experimental and partner countries). */
    static final Map<String, Integer> IBAN_LENGTHS = Map.ofEntries(
            Map.entry("AD", 24),
            Map.entry("AE", 23),
            Map.entry("AL", 28),
            Map.entry("AT", 20),
            Map.entry("AZ", 28),
            Map.entry("BA", 20),
            Map.entry("BE", 16),
            Map.entry("BG", 22),
            Map.entry("BH", 22),
            Map.entry("BI", 27),
            Map.entry("BR", 29),
            Map.entry("BY", 28),
            Map.entry("CH", 21),
            Map.entry("CR", 22),
            Map.entry("CY", 28),
            Map.entry("CZ", 24),
            Map.entry("DE", 22),
            Map.entry("DJ", 27),
            Map.entry("DK", 18),
            Map.entry("DO", 28),
            Map.entry("EE", 20),
            Map.entry("EG", 29),
            Map.entry("ES", 24),
            Map.entry("FI", 18),
            Map.entry("FK", 18),
            Map.entry("FO", 18),
            Map.entry("FR", 27),
            Map.entry("GB", 22),
            Map.entry("GE", 22),
            Map.entry("GI", 23),
            Map.entry("GL", 18),
            Map.entry("GR", 27),
            Map.entry("GT", 28),
            Map.entry("HN", 28),
            Map.entry("HR", 21),
            Map.entry("HU", 28),
            Map.entry("IE", 22),
            Map.entry("IL", 23),
            Map.entry("IQ", 23),
            Map.entry("IS", 26),
            Map.entry("IT", 27),
            Map.entry("JO", 30),
            Map.entry("KW", 30),
            Map.entry("KZ", 20),
            Map.entry("LB", 28),
            Map.entry("LC", 32),
            Map.entry("LI", 21),
            Map.entry("LT", 20),
            Map.entry("LU", 20),
            Map.entry("LV", 21),
            Map.entry("LY", 25),
            Map.entry("MC", 27),
            Map.entry("MD", 24),
            Map.entry("ME", 22),
            Map.entry("MK", 19),
            Map.entry("MN", 20),
            Map.entry("MR", 27),
            Map.entry("MT", 31),
            Map.entry("MU", 30),
            Map.entry("NI", 28),
            Map.entry("NL", 18),
            Map.entry("NO", 15),
            Map.entry("OM", 23),
            Map.entry("PK", 24),
            Map.entry("PL", 28),
            Map.entry("PS", 29),
            Map.entry("PT", 25),
            Map.entry("QA", 29),
            Map.entry("RO", 24),
            Map.entry("RS", 22),
            Map.entry("RU", 33),
            Map.entry("SA", 24),
            Map.entry("SC", 31),
            Map.entry("SD", 18),
            Map.entry("SE", 24),
            Map.entry("SI", 19),
            Map.entry("SK", 24),
            Map.entry("SM", 27),
            Map.entry("SO", 23),
            Map.entry("ST", 25),
            Map.entry("SV", 28),
            Map.entry("TL", 23),
            Map.entry("TN", 24),
            Map.entry("TR", 26),
            Map.entry("UA", 29),
            Map.entry("VA", 22),
            Map.entry("VG", 24),
            Map.entry("XK", 20),
            Map.entry("YE", 30));

    /** Whether {@code digits} (digits only) passes the Luhn (mod 10) check. */
    public static boolean luhn(CharSequence digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            int d = c - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return digits.length() > 1 && sum % 10 == 0;
    }

    /**
     * Whether {@code iban} (upper-case letters and digits, no spaces) is a valid IBAN: a known country, that
     * country's length, and the ISO 7064 mod-97 checksum.
     */
    public static boolean iban(String iban) {
        if (iban.length() < 4) {
            return false;
        }
        Integer length = IBAN_LENGTHS.get(iban.substring(0, 2));
        if (length == null || length != iban.length()) {
            return false;
        }
        if (!Character.isDigit(iban.charAt(2)) || !Character.isDigit(iban.charAt(3))) {
            return false;
        }
        String rearranged = iban.substring(4) + iban.substring(0, 4);
        StringBuilder numeric = new StringBuilder(rearranged.length() * 2);
        for (int i = 0; i < rearranged.length(); i++) {
            char c = rearranged.charAt(i);
            if (c >= '0' && c <= '9') {
                numeric.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                numeric.append(c - 'A' + 10);
            } else {
                return false;
            }
        }
        return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }

    /**
     * Whether the nine digits {@code ssn} can be a US Social Security Number: the area is not 000, 666 or 900–999,
     * the group is not 00 and the serial is not 0000.
     */
    public static boolean ssn(String ssn) {
        if (ssn.length() != 9 || !ssn.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int area = Integer.parseInt(ssn.substring(0, 3));
        int group = Integer.parseInt(ssn.substring(3, 5));
        int serial = Integer.parseInt(ssn.substring(5));
        return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
    }

    /**
     * Whether {@code digits} starts with the issuer prefix of a payment-card network whose numbers have that many
     * digits: Visa, Mastercard, American Express, Discover, JCB, Diners Club, UnionPay, Maestro, Mir, RuPay, Troy.
     */
    public static boolean cardIssuer(String digits) {
        int n = digits.length();
        int p2 = Integer.parseInt(digits.substring(0, 2));
        int p3 = Integer.parseInt(digits.substring(0, 3));
        int p4 = Integer.parseInt(digits.substring(0, 4));
        int p6 = Integer.parseInt(digits.substring(0, 6));
        if (digits.charAt(0) == '4') {
            return n == 13 || n == 16 || n == 19; // Visa
        }
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
            return n == 16; // Mastercard
        }
        if (p2 == 34 || p2 == 37) {
            return n == 15; // American Express
        }
        if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) {
            return n >= 16 && n <= 19; // Discover
        }
        if (p4 >= 3528 && p4 <= 3589) {
            return n >= 16 && n <= 19; // JCB
        }
        if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39 || p3 == 309) {
            return n >= 14 && n <= 19; // Diners Club
        }
        if (p2 == 62 || p2 == 81) {
            return n >= 16 && n <= 19; // UnionPay
        }
        if (p4 == 5018
                || p4 == 5020
                || p4 == 5038
                || p4 == 5893
                || p4 == 6304
                || p4 == 6759
                || p4 == 6761
                || p4 == 6762
                || p4 == 6763
                || p2 == 50
                || (p2 >= 56 && p2 <= 58)
                || p2 == 67) {
            return n >= 12 && n <= 19; // Maestro
        }
        if (p4 >= 2200 && p4 <= 2204) {
            return n >= 16 && n <= 19; // Mir
        }
        if (p2 == 60 || p3 == 652 || p3 == 508) {
            return n == 16; // RuPay
        }
        if (p4 == 9792) {
            return n == 16; // Troy
        }
        return false;
    }
}
