package io.troupe.api.intercept;

import io.troupe.api.Checks;

/**
 * One interceptor's verdict, as journaled.
 *
 * @param interceptor the name the interceptor is registered under
 * @param verdict what it decided
 */
public record Ruling(String interceptor, Verdict verdict) {
    public Ruling {
        Checks.notBlank(interceptor, "Ruling interceptor");
        Checks.notNull(verdict, "Ruling verdict");
    }
}
