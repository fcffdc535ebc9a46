package io.troupe.guard.injection;

import java.util.regex.Pattern;

/**
 * A named pattern that signals prompt injection, matched against the folded (lower-case, de-obfuscated) views of
 * a text.
 *
 * @param id a stable identifier, e.g. {@code override.ignore-previous}; reported in verdicts and scan output
 * @param description what the rule looks for, in one sentence
 * @param weight how strongly a match alone signals injection, from 0 to 1
 * @param pattern the pattern, written for lower-case text
 */
public record InjectionRule(String id, String description, double weight, Pattern pattern) {
    public InjectionRule {
        if (id == null || !id.matches("[a-z0-9]+(?:[.-][a-z0-9]+)*")) {
            throw new IllegalArgumentException("InjectionRule id must be dotted lower-case words, was '" + id + "'");
        }
        if (!(weight > 0 && weight <= 1)) {
            throw new IllegalArgumentException("InjectionRule " + id + " weight must be within (0, 1], was " + weight);
        }
    }

    /** A rule from a regular expression over lower-case text. */
    public static InjectionRule of(String id, double weight, String description, String regex) {
        return new InjectionRule(id, description, weight, Pattern.compile(regex, Pattern.UNICODE_CASE));
    }
}
