package io.troupe.tune.dataset;

/**
 * Rewrites the text of a dataset before it is written: where personal data is removed (the guardrails' PII detector
 * plugs in here). It is applied to every message text, tool argument and tool output; the default keeps text as is.
 */
@FunctionalInterface
public interface Redactor {
    /** Keeps every text unchanged. */
    Redactor NONE = text -> text;

    /** {@code text} with whatever must not be trained on replaced. */
    String redact(String text);
}
