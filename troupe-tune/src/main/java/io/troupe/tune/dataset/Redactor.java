package io.troupe.tune.dataset;

/**
 * Rewrites the text of a dataset before it is written: where personal data is removed ({@link PiiDatasetRedactor}
 * plugs the guardrails' PII detector in here). It is applied to every message text, tool argument and tool output;
 * the default keeps text as is.
 */
@FunctionalInterface
public interface Redactor {
    /** Keeps every text unchanged. */
    Redactor NONE = text -> text;

    /** {@code text} with whatever must not be trained on replaced. */
    String redact(String text);

    /**
     * The redactor for the texts of one example, called once per example before its texts are redacted. A redactor
     * that numbers what it replaces ({@code <EMAIL_1>}) returns one that starts numbering afresh, so that a value
     * keeps its placeholder throughout an example and placeholders do not depend on the other examples. The default
     * returns this redactor.
     */
    default Redactor forExample() {
        return this;
    }
}
