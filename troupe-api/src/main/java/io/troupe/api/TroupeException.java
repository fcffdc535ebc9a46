package io.troupe.api;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception that Troupe throws on purpose.
 *
 * <p>Exceptions are for bugs and misconfiguration. Expected outcomes of a run (an exhausted budget, a failed
 * tool call, a rejected bid) are values in the journal, not exceptions. Each subclass names a remedy, and each
 * message says what went wrong, which value caused it and how to fix it.
 */
public abstract class TroupeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected TroupeException(String message) {
        super(message);
    }

    protected TroupeException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
