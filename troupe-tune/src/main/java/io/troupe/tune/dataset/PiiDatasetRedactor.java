package io.troupe.tune.dataset;

import io.troupe.guard.pii.PiiDetector;
import io.troupe.guard.pii.PiiRedactor;
import io.troupe.guard.pii.PiiType;
import io.troupe.guard.pii.PiiVault;
import io.troupe.guard.pii.Redaction;
import java.util.EnumMap;
import java.util.Map;

/**
 * A {@link Redactor} that replaces personal data with the guardrails' typed placeholders ({@code <EMAIL_1>}, {@code
 * <PERSON_2>}), found by a {@link PiiDetector}: the same value gets the same placeholder throughout an example, and
 * numbering starts afresh in each example. It counts what it replaced, by type, for the export's report.
 *
 * <p>Not safe for concurrent use: the exporter redacts one example at a time.
 */
public final class PiiDatasetRedactor implements Redactor {
    private final PiiRedactor redactor;
    private final Map<PiiType, Integer> counts = new EnumMap<>(PiiType.class);
    private PiiVault vault = new PiiVault("dataset");

    /** A redactor that finds personal data with {@code detector}. */
    public PiiDatasetRedactor(PiiDetector detector) {
        this.redactor = new PiiRedactor(detector);
    }

    @Override
    public String redact(String text) {
        if (text.isEmpty()) {
            return text;
        }
        Redaction redaction = redactor.redact(text, vault);
        for (Redaction.Replacement replacement : redaction.replacements()) {
            counts.merge(replacement.type(), 1, Integer::sum);
        }
        return redaction.text();
    }

    /** A redactor for the next example: a fresh vault, the same counts. */
    @Override
    public Redactor forExample() {
        vault.clear();
        vault = new PiiVault("dataset");
        return this;
    }

    /** How many values of each type were replaced so far, across every example. */
    public Map<PiiType, Integer> counts() {
        return Map.copyOf(counts);
    }

    /** The total number of values replaced so far. */
    public int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
