package io.troupe.guard;

/**
 * One reason behind a verdict: which guardrail found what, with a score. Findings are journaled and audited, so
 * they never carry the raw text they are about: {@code detail} names types, offsets and rules, never values.
 *
 * @param guardrail the guardrail's name, e.g. {@code pii}
 * @param code a stable identifier of what was found, e.g. {@code pii.EMAIL}, {@code injection.rule.override}
 * @param detail a short human-readable explanation without raw values, e.g. {@code EMAIL at 12..31}
 * @param score how sure the detector is, from 0 to 1
 */
public record Finding(String guardrail, String code, String detail, double score) {
    public Finding {
        if (guardrail == null || guardrail.isBlank()) {
            throw new IllegalArgumentException("Finding guardrail must not be blank");
        }
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("Finding code must not be blank");
        }
        if (detail == null) {
            throw new IllegalArgumentException("Finding detail must not be null");
        }
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("Finding score must be within [0, 1], was " + score);
        }
    }
}
