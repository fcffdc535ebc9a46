package io.troupe.api.run;

import io.troupe.api.TroupeException;

/**
 * Thrown by blocking convenience methods such as {@code Troupe.ask} when a run ended with {@link Outcome.Failed} or
 * was {@link Outcome.Cancelled cancelled}.
 */
public final class RunFailedException extends TroupeException {
    private static final long serialVersionUID = 1L;

    private final transient Outcome outcome;

    public RunFailedException(Outcome.Failed outcome) {
        super(outcome.describe());
        this.outcome = outcome;
    }

    public RunFailedException(Outcome.Cancelled outcome) {
        super(outcome.describe());
        this.outcome = outcome;
    }

    /** The outcome recorded in the journal: {@link Outcome.Failed} or {@link Outcome.Cancelled}. */
    public Outcome outcome() {
        return outcome;
    }
}
