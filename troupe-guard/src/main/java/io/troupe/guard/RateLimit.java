package io.troupe.guard;

import io.troupe.api.Checks;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * At most {@code calls} calls in any window of length {@code per}. A call over the limit waits for the window to
 * move on, up to the guard's longest wait, and is blocked if it would wait longer.
 *
 * @param calls how many calls the window allows, at least 1
 * @param per the window's length, positive
 */
public record RateLimit(int calls, Duration per) {
    private static final Pattern TEXT = Pattern.compile("(\\d{1,9})\\s*/\\s*(\\d{0,9})\\s*(ms|s|sec|m|min|h|hour)");

    public RateLimit {
        if (calls < 1) {
            throw new IllegalArgumentException("a rate limit allows at least 1 call, got " + calls);
        }
        Checks.notNull(per, "RateLimit per");
        if (per.isNegative() || per.isZero()) {
            throw new IllegalArgumentException("a rate limit's window must be positive, got " + per);
        }
    }

    /** {@code calls} per minute. */
    public static RateLimit perMinute(int calls) {
        return new RateLimit(calls, Duration.ofMinutes(1));
    }

    /**
     * Reads {@code 30/min}, {@code 5/s}, {@code 100/10m} or {@code 1000/h}.
     *
     * @throws IllegalArgumentException naming the expected form
     */
    public static RateLimit parse(String text) {
        Matcher m = TEXT.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a rate such as 30/min, 5/s, 100/10m or 1000/h");
        }
        long count = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
        Duration unit = switch (m.group(3)) {
            case "ms" -> Duration.ofMillis(1);
            case "s", "sec" -> Duration.ofSeconds(1);
            case "m", "min" -> Duration.ofMinutes(1);
            default -> Duration.ofHours(1);
        };
        if (count == 0) {
            throw new IllegalArgumentException("'" + text + "' has an empty window; write e.g. 30/min");
        }
        return new RateLimit(Integer.parseInt(m.group(1)), unit.multipliedBy(count));
    }

    /** {@code 30/1m}-style text. */
    public String describe() {
        return calls + " per " + per.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
