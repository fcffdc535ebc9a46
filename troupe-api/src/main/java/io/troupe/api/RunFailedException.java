package io.troupe.api;

import io.troupe.api.run.Outcome;

/**
 * Thrown by blocking convenience methods such as {@code Troupe.act} when a run ended with {@link Outcome.Failed}.
 */
public final class RunFailedException extends TroupeException {
    private static final long serialVersionUID = 1L;

    private final transient Outcome.Failed outcome;

    public RunFailedException(Outcome.Failed outcome) {
        super(outcome.describe());
        this.outcome = outcome;
    }

    /** The outcome recorded in the journal. */
    public Outcome.Failed outcome() {
        return outcome;
    }
}
