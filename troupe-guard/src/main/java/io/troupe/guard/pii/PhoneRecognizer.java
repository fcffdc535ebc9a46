package io.troupe.guard.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phone numbers: international numbers ({@code +} or {@code 00} with a valid country calling code), North
 * American numbers, and trunk-prefixed national numbers ({@code 030 1234567}), with context words in several
 * languages raising the confidence. Dates, IP-like and version-like runs and numbers labelled as orders or
 * tracking numbers are rejected.
 */
final class PhoneRecognizer implements Recognizer {
    private static final Pattern CANDIDATE =
            Pattern.compile("(?<![\\p{L}\\p{N}+/.\\-_@])(?:\\+|00)?\\(?\\d[\\d \\u00A0\\-.()/]{4,28}+");
    private static final Pattern GROUP = Pattern.compile("\\d+");
    private static final Pattern EXTENSION =
            Pattern.compile("(?i)^\\s*(?:ext\\.?|x|extension|durchwahl|poste)\\s*\\d{1,5}");
    private static final Pattern CUE = Pattern.compile(
            "(?iu)(phone|tel\\b|tel\\.|telephone|mobile|mob\\.|cell|call|text me|sms|whatsapp|fax|contact|reach|dial|"
                    + "ring|hotline|number|nummer|telefon|handy|rufnummer|anruf|t[ée]l[ée]phone|t[ée]l\\.|portable|"
                    + "appel|tel[ée]fono|m[óo]vil|celular|llam|cellulare|chiama|telefone|ligue|bel |telefoon|"
                    + "телефон|тел\\.|電話|电话|手机|携帯)");
    private static final Pattern SSN_SHAPE = Pattern.compile("\\d{3}-\\d{2}-\\d{4}");
    private static final Pattern DATE =
            Pattern.compile("\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|\\d{1,2}[-/.]\\d{1,2}[-/.]\\d{2,4}");

    /** Country calling codes of two and three digits (one-digit codes are 1 and 7). */
    private static final Set<String> CODES = Set.of(
            "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
            "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84",
            "86", "90", "91", "92", "93", "94", "95", "98", "211", "212", "213", "216", "218", "220", "221", "222",
            "223", "224", "225", "226", "227", "228", "229", "230", "231", "232", "233", "234", "235", "236", "237",
            "238", "239", "240", "241", "242", "243", "244", "245", "246", "248", "249", "250", "251", "252", "253",
            "254", "255", "256", "257", "258", "260", "261", "262", "263", "264", "265", "266", "267", "268", "269",
            "290", "291", "297", "298", "299", "350", "351", "352", "353", "354", "355", "356", "357", "358", "359",
            "370", "371", "372", "373", "374", "375", "376", "377", "378", "380", "381", "382", "383", "385", "386",
            "387", "389", "420", "421", "423", "500", "501", "502", "503", "504", "505", "506", "507", "508", "509",
            "590", "591", "592", "593", "594", "595", "596", "597", "598", "599", "670", "672", "673", "674", "675",
            "676", "677", "678", "679", "680", "681", "682", "683", "685", "686", "687", "688", "689", "690", "691",
            "692", "850", "852", "853", "855", "856", "880", "886", "960", "961", "962", "963", "964", "965", "966",
            "967", "968", "970", "971", "972", "973", "974", "975", "976", "977", "992", "993", "994", "995", "996",
            "998");

    @Override
    public List<PiiEntity> find(String text) {
        List<PiiEntity> found = new ArrayList<>();
        Matcher m = CANDIDATE.matcher(text);
        while (m.find()) {
            PiiEntity best = bestPrefix(text, m.start(), m.end());
            if (best != null) {
                found.add(best);
            }
        }
        return found;
    }

    /** The longest run of digit groups from {@code start} that reads as a phone number, or null. */
    private PiiEntity bestPrefix(String text, int start, int limit) {
        List<int[]> groups = new ArrayList<>();
        Matcher g = GROUP.matcher(text).region(start, limit);
        int previousEnd = -1;
        while (g.find()) {
            if (previousEnd >= 0) {
                String separator = text.substring(previousEnd, g.start());
                if (separator.length() > 3 || !separator.matches("[ \\u00A0\\-.()/]*")) {
                    break;
                }
            }
            groups.add(new int[] {g.start(), g.end()});
            previousEnd = g.end();
        }
        for (int count = groups.size(); count >= 1; count--) {
            int end = groups.get(count - 1)[1];
            if (end < text.length() && text.charAt(end) == ')') {
                end++;
            }
            if (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || endsInNumber(text, end))) {
                continue;
            }
            double confidence = score(text, start, end, groups.subList(0, count));
            if (confidence >= 0.5) {
                int s = text.charAt(start) == '(' && text.indexOf(')', start) < 0 ? start + 1 : start;
                int e = trimEnd(text, s, end);
                Matcher ext = EXTENSION.matcher(text).region(e, Math.min(text.length(), e + 20));
                if (ext.lookingAt()) {
                    e = ext.end();
                }
                return new PiiEntity(PiiType.PHONE, s, e, text.substring(s, e), confidence);
            }
        }
        return null;
    }

    /** Whether the word just before (one space away) holds digits: "AA1 01 2345 678 4" is a code, not a number. */
    private static boolean continuesACode(String text, int start) {
        if (start < 2 || text.charAt(start - 1) != ' ' || !Character.isLetterOrDigit(text.charAt(start - 2))) {
            return false;
        }
        int wordStart = start - 2;
        while (wordStart > 0 && Character.isLetterOrDigit(text.charAt(wordStart - 1))) {
            wordStart--;
        }
        return text.substring(wordStart, start - 1).chars().anyMatch(Character::isDigit);
    }

    private static boolean endsInNumber(String text, int end) {
        // "555-1234-" followed by more digits, or "12.5" after a dot: the number goes on.
        return end + 1 < text.length()
                && (text.charAt(end) == '.' || text.charAt(end) == '-' || text.charAt(end) == '/')
                && Character.isDigit(text.charAt(end + 1));
    }

    private static int trimEnd(String text, int start, int end) {
        int e = end;
        while (e > start && !Character.isDigit(text.charAt(e - 1)) && text.charAt(e - 1) != ')') {
            e--;
        }
        if (text.charAt(e - 1) == ')' && text.substring(start, e).indexOf('(') < 0) {
            e--;
        }
        return e;
    }

    private static double score(String text, int start, int end, List<int[]> groups) {
        String raw = text.substring(start, end);
        String digits = Context.digits(raw);
        boolean plus = raw.startsWith("+");
        boolean doubleZero = !plus && digits.startsWith("00") && groups.size() > 1;
        if (digits.length() < 7 || digits.length() > 15 + (doubleZero ? 2 : 0)) {
            return 0;
        }
        if (DATE.matcher(raw.strip()).matches()
                || ipOrVersionLike(raw)
                || SSN_SHAPE.matcher(raw.strip()).matches()) {
            return 0;
        }
        if (Context.labelledNotPersonal(text, start) || continuesACode(text, start)) {
            return 0;
        }
        if (digits.chars().distinct().count() == 1) {
            return 0;
        }
        boolean cue = Context.cueBefore(text, start, 40, CUE);
        double base;
        if (plus || doubleZero) {
            String national = international(digits.substring(doubleZero ? 2 : 0));
            if (national == null) {
                return 0;
            }
            base = 0.9;
        } else if (northAmerican(groups, text)) {
            base = 0.8;
        } else if (digits.charAt(0) == '0'
                && digits.charAt(1) != '0'
                && digits.length() >= 9
                && digits.length() <= 12
                && (groups.size() >= 2 || digits.length() == 10)) {
            base = groups.size() >= 2 ? 0.65 : 0.55;
        } else if (groups.size() >= 2 && digits.length() <= 12) {
            base = 0.35;
        } else {
            base = digits.length() <= 12 ? 0.3 : 0;
        }
        if (base == 0) {
            return 0;
        }
        return Math.min(0.97, cue ? base + 0.3 : base);
    }

    /** The national part after a valid country code, or null when the code or the length is wrong. */
    private static String international(String digits) {
        String code;
        if (digits.startsWith("1") || digits.startsWith("7")) {
            code = digits.substring(0, 1);
        } else if (digits.length() > 2 && CODES.contains(digits.substring(0, 2))) {
            code = digits.substring(0, 2);
        } else if (digits.length() > 3 && CODES.contains(digits.substring(0, 3))) {
            code = digits.substring(0, 3);
        } else {
            return null;
        }
        String national = digits.substring(code.length());
        if (code.equals("1")) {
            return national.length() == 10 && national.charAt(0) >= '2' ? national : null;
        }
        return national.length() >= 6 && national.length() <= 13 && digits.length() <= 15 ? national : null;
    }

    private static boolean northAmerican(List<int[]> groups, String text) {
        int[] lengths = groups.stream().mapToInt(g -> g[1] - g[0]).toArray();
        int first = 0;
        if (lengths.length == 4 && lengths[0] == 1 && text.charAt(groups.get(0)[0]) == '1') {
            first = 1;
        }
        if (lengths.length - first != 3 || lengths[first] != 3 || lengths[first + 1] != 3 || lengths[first + 2] != 4) {
            return false;
        }
        char area = text.charAt(groups.get(first)[0]);
        char exchange = text.charAt(groups.get(first + 1)[0]);
        return area >= '2' && exchange >= '2';
    }

    private static boolean ipOrVersionLike(String raw) {
        String s = raw.strip();
        return s.matches("\\d{1,3}(\\.\\d{1,3}){2,3}")
                || s.matches("\\d+(\\.\\d+)+") && !s.matches("\\d{2,4}(\\.\\d{2,4}){2,4}");
    }
}
