package io.troupe.guard.pii;

import java.util.ArrayList;
import java.util.List;

/**
 * Replaces personal data with typed placeholders, numbered by a {@link PiiVault} so that the same value gets the
 * same placeholder throughout a run. Stateless apart from the vault it is given; safe to share.
 */
public final class PiiRedactor {
    private final PiiDetector detector;

    /** A redactor that finds values with {@code detector}. */
    public PiiRedactor(PiiDetector detector) {
        this.detector = detector;
    }

    /** The detector this redactor uses. */
    public PiiDetector detector() {
        return detector;
    }

    /** {@code text} with every entity the detector finds replaced by its placeholder in {@code vault}. */
    public Redaction redact(String text, PiiVault vault) {
        return redact(text, detector.detect(text), vault);
    }

    /** {@code text} with {@code entities} (sorted, without overlaps, as the detector returns them) replaced. */
    public static Redaction redact(String text, List<PiiEntity> entities, PiiVault vault) {
        if (entities.isEmpty()) {
            return new Redaction(text, List.of());
        }
        StringBuilder out = new StringBuilder(text.length());
        List<Redaction.Replacement> replacements = new ArrayList<>(entities.size());
        int at = 0;
        for (PiiEntity entity : entities) {
            if (entity.start() < at) {
                throw new IllegalArgumentException("PII entities overlap or are out of order at " + entity.describe());
            }
            String placeholder = vault.placeholderFor(entity);
            out.append(text, at, entity.start()).append(placeholder);
            replacements.add(new Redaction.Replacement(
                    entity.type(), entity.start(), entity.end(), placeholder, entity.confidence()));
            at = entity.end();
        }
        out.append(text, at, text.length());
        return new Redaction(out.toString(), replacements);
    }
}
