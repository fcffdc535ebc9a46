package io.troupe.guard.pii;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The placeholders of one run and the values behind them: the same value always gets the same placeholder
 * ({@code <EMAIL_1>}), numbered per type in the order values are first seen, and {@link #restore} puts the values
 * back for a tool that is authorised to see them.
 *
 * <p>Values are compared after normalisation: e-mail addresses and IP addresses ignore case, numbers ignore
 * separators ({@code +44 20 7946 0958} and {@code +442079460958} share a placeholder), names and addresses ignore
 * case and spacing. The vault lives in memory only: it never goes to the journal, logs or the audit log, and its
 * values are gone when the process stops (a resumed run numbers new values after those its journal holds, see
 * {@link #reserveAll}). Safe to use from several threads.
 */
public final class PiiVault {
    private static final Pattern PLACEHOLDER = Pattern.compile("<(" + typeAlternatives() + ")_(\\d{1,9})>");

    private final String runId;
    private final Map<String, String> placeholderByKey = new HashMap<>();
    private final Map<String, String> valueByPlaceholder = new HashMap<>();
    private final Map<PiiType, Integer> counters = new EnumMap<>(PiiType.class);

    /** An empty vault for the run {@code runId}. */
    public PiiVault(String runId) {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("PiiVault runId must not be blank");
        }
        this.runId = runId;
    }

    /** The run this vault belongs to. */
    public String runId() {
        return runId;
    }

    /** The placeholder of {@code entity}'s value, assigning the next number of its type if the value is new. */
    public synchronized String placeholderFor(PiiEntity entity) {
        String key = entity.type() + ":" + normalise(entity.type(), entity.text());
        String existing = placeholderByKey.get(key);
        if (existing != null) {
            return existing;
        }
        int number = counters.merge(entity.type(), 1, Integer::sum);
        String placeholder = "<" + entity.type() + "_" + number + ">";
        placeholderByKey.put(key, placeholder);
        valueByPlaceholder.put(placeholder, entity.text());
        return placeholder;
    }

    /** The value behind {@code placeholder}, as first seen, if this vault assigned it. */
    public synchronized Optional<String> valueOf(String placeholder) {
        return Optional.ofNullable(valueByPlaceholder.get(placeholder));
    }

    /** {@code text} with every placeholder of this vault replaced by its value; unknown placeholders stay. */
    public synchronized String restore(String text) {
        if (text.indexOf('<') < 0) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String value = valueByPlaceholder.get(m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Makes sure that new placeholders of {@code type} are numbered after {@code number}: a vault that starts again
     * for a run whose journal already holds {@code <EMAIL_3>} must not give {@code <EMAIL_3>} to another value.
     */
    public synchronized void reserve(PiiType type, int number) {
        counters.merge(type, number, Math::max);
    }

    /** Reserves the number of every placeholder in {@code text} ({@link #reserve}). */
    public synchronized void reserveAll(String text) {
        if (text.indexOf('<') < 0) {
            return;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            try {
                reserve(PiiType.valueOf(m.group(1)), Integer.parseInt(m.group(2)));
            } catch (NumberFormatException e) {
                // more digits than an int: not a placeholder this vault could have made
            }
        }
    }

    /** The placeholders in {@code text} that this vault cannot restore, in order of appearance, each once. */
    public synchronized java.util.List<String> unknownPlaceholders(String text) {
        java.util.LinkedHashSet<String> unknown = new java.util.LinkedHashSet<>();
        if (text.indexOf('<') >= 0) {
            Matcher m = PLACEHOLDER.matcher(text);
            while (m.find()) {
                if (!valueByPlaceholder.containsKey(m.group())) {
                    unknown.add(m.group());
                }
            }
        }
        return java.util.List.copyOf(unknown);
    }

    /** How many distinct values this vault holds. */
    public synchronized int size() {
        return valueByPlaceholder.size();
    }

    /** Forgets every value, for example when the run ends. */
    public synchronized void clear() {
        placeholderByKey.clear();
        valueByPlaceholder.clear();
        counters.clear();
    }

    @Override
    public String toString() {
        return "PiiVault[run=" + runId + ", values=" + size() + "]"; // never the values
    }

    static String normalise(PiiType type, String value) {
        return switch (type) {
            case EMAIL, IP_ADDRESS -> value.toLowerCase(Locale.ROOT);
            case PHONE -> {
                String stripped = value.strip();
                String digits = Context.digits(stripped);
                if (stripped.startsWith("+")) {
                    yield "+" + digits;
                }
                yield stripped.startsWith("00") ? "+" + digits.substring(2) : digits;
            }
            case CREDIT_CARD, US_SSN -> Context.digits(value);
            case IBAN -> value.replaceAll("\\s", "").toUpperCase(Locale.ROOT);
            case PERSON, ADDRESS -> value.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
            case SECRET -> value; // a credential is case-sensitive: the same key is the same string
        };
    }

    private static String typeAlternatives() {
        StringBuilder s = new StringBuilder();
        for (PiiType type : PiiType.values()) {
            if (!s.isEmpty()) {
                s.append('|');
            }
            s.append(type.name());
        }
        return s.toString();
    }
}
