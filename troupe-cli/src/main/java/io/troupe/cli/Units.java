package io.troupe.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations, money and counts in the units a person reads: {@code 4.2 s}, {@code $0.006}, {@code 12,345}. */
final class Units {
    /** An ISO-8601 duration as {@link Duration#toString()} writes it, such as {@code PT0.7194687S}. */
    private static final Pattern ISO_DURATION =
            Pattern.compile("\\bPT(?:\\d+H)?(?:\\d+M)?(?:\\d+(?:\\.\\d+)?S)?\\b|\\bP\\d+D(?:T[\\d.HMS]+)?\\b");

    private static final BigDecimal CENT = new BigDecimal("0.01");
    private static final BigDecimal SMALLEST = new BigDecimal("0.000001");

    private Units() {}

    /** {@code 720 ms}, {@code 4.2 s}, {@code 2 min 5 s}, {@code 1 h 3 min}. */
    static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = duration.toSeconds();
        if (seconds < 3600) {
            return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
        }
        long minutes = duration.toMinutes();
        return minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
    }

    /**
     * US dollars: {@code $0}, cents for a cent or more ({@code $1.23}), else up to six decimals ({@code $0.006}),
     * and {@code < $0.000001} for less.
     */
    static String money(BigDecimal usd) {
        if (usd.signum() == 0) {
            return "$0";
        }
        if (usd.compareTo(CENT) >= 0) {
            return "$" + usd.setScale(2, RoundingMode.HALF_UP).toPlainString();
        }
        if (usd.compareTo(SMALLEST) < 0) {
            return "< $0.000001";
        }
        return "$" + usd.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** {@code 12,345}. */
    static String count(long count) {
        return String.format(Locale.ROOT, "%,d", count);
    }

    /** {@code text} with every ISO-8601 duration in it ({@code PT2M}) written as {@link #duration}. */
    static String humanize(String text) {
        Matcher matcher = ISO_DURATION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String replacement = matcher.group();
            if (replacement.length() > 2) {
                try {
                    replacement = duration(Duration.parse(replacement));
                } catch (DateTimeParseException e) {
                    // not a duration after all: keep the text
                }
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
