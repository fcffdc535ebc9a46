package io.troupe.guard.scan;

import io.troupe.guard.injection.InjectionDetector;
import io.troupe.guard.pii.PiiDetector;
import io.troupe.guard.pii.PiiEntity;
import io.troupe.guard.pii.PiiRedactor;
import io.troupe.guard.pii.PiiVault;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Scans texts for PII and prompt injection, as {@code troupe guard scan} does: each input is scanned on its own,
 * with a fresh vault, so that its verdict does not depend on the inputs before it. Thread-safe.
 */
public final class GuardScanner {
    private final @Nullable PiiDetector pii;
    private final @Nullable InjectionDetector injection;

    /**
     * A scanner.
     *
     * @param pii the PII detector, or null to skip PII
     * @param injection the injection detector, or null to skip injection
     */
    public GuardScanner(@Nullable PiiDetector pii, @Nullable InjectionDetector injection) {
        if (pii == null && injection == null) {
            throw new IllegalArgumentException("a scanner needs a PII detector, an injection detector, or both");
        }
        this.pii = pii;
        this.injection = injection;
    }

    /** Scans one input. */
    public ScanResult scan(int line, @Nullable String id, String text) {
        ScanResult.Pii piiResult = null;
        if (pii != null) {
            List<PiiEntity> entities = pii.detect(text);
            String redacted =
                    PiiRedactor.redact(text, entities, new PiiVault("scan")).text();
            piiResult = new ScanResult.Pii(entities, redacted);
        }
        return new ScanResult(line, id, text, piiResult, injection == null ? null : injection.scan(text));
    }
}
