package io.troupe.guard.scan;

import io.troupe.guard.injection.InjectionScan;
import io.troupe.guard.pii.PiiEntity;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The verdicts on one input.
 *
 * @param line the input's 1-based line number
 * @param id the input's id from JSONL, or null for plain text
 * @param text the scanned text
 * @param pii the PII found, or null when PII was not scanned
 * @param injection the injection scan, or null when injection was not scanned
 */
public record ScanResult(
        int line,
        @Nullable String id,
        String text,
        @Nullable Pii pii,
        @Nullable InjectionScan injection) {

    /**
     * The PII part.
     *
     * @param entities the entities, by position
     * @param redacted the text with each entity replaced by its placeholder (numbered per input)
     */
    public record Pii(List<PiiEntity> entities, String redacted) {
        public Pii {
            entities = List.copyOf(entities);
        }
    }
}
