package io.troupe.tune.eval;

/**
 * How a run fared on one check.
 *
 * @param check the check's description
 * @param score 1 passed, 0 failed; a judge's score in between
 * @param detail why, when it failed (or the judge's reason)
 */
public record CheckResult(String check, double score, String detail) {
    public boolean passed() {
        return score >= 1.0;
    }
}
