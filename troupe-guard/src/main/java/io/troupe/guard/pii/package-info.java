/**
 * PII detection and redaction: {@link io.troupe.guard.pii.PiiDetector} finds {@link io.troupe.guard.pii.PiiEntity}
 * values of each {@link io.troupe.guard.pii.PiiType}, {@link io.troupe.guard.pii.PiiRedactor} replaces them with
 * typed placeholders ({@code <EMAIL_1>}) and {@link io.troupe.guard.pii.PiiVault} keeps the values of one run so
 * that they can be restored for the tools authorised to see them.
 *
 * <p>Checksummed types (payment cards, IBAN) and strictly formatted ones (e-mail, IP addresses, US SSN) are found by
 * rules with validation; phone numbers by formats, country codes and context words; names and street addresses by
 * rules (titles, cue phrases, a small first-name list, street-type words), with lower precision and recall.
 */
@NullMarked
package io.troupe.guard.pii;

import org.jspecify.annotations.NullMarked;
