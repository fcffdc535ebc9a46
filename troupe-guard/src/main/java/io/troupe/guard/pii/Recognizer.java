package io.troupe.guard.pii;

import java.util.List;

/**
 * A finder of one kind of personal data, such as e-mail addresses or IBANs. {@link PiiDetector} runs several and
 * resolves their overlaps; add your own through {@link PiiDetector.Builder#recognizer}.
 *
 * <p>Implementations must be stateless and safe to call from several threads, and must not backtrack
 * catastrophically on long inputs (texts of a megabyte are normal).
 */
@FunctionalInterface
public interface Recognizer {

    /** Every candidate in {@code text}, in any order; overlaps between candidates are allowed. */
    List<PiiEntity> find(String text);
}
