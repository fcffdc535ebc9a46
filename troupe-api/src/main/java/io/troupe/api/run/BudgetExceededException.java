package io.troupe.api.run;

import io.troupe.api.TroupeException;

/**
 * Thrown by blocking convenience methods such as {@code Troupe.act} when a run ended because a budget ran out.
 *
 * <p>Inside the runtime an exhausted budget is a value ({@link Outcome.BudgetExceeded}) in the journal; this
 * exception only carries that value to callers who asked for a plain result.
 */
public final class BudgetExceededException extends TroupeException {
    private static final long serialVersionUID = 1L;

    private final transient Outcome.BudgetExceeded outcome;

    public BudgetExceededException(Outcome.BudgetExceeded outcome) {
        super(outcome.describe());
        this.outcome = outcome;
    }

    /** The outcome recorded in the journal. */
    public Outcome.BudgetExceeded outcome() {
        return outcome;
    }
}
