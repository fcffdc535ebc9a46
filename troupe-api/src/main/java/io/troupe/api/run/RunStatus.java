package io.troupe.api.run;

/** Where a run stands, as {@link Troupe#runs()} reports it. */
public enum RunStatus {
    /** Started and not finished: an agent or tool is working, or the run is due to resume. */
    RUNNING,
    /** Held by an interceptor until a person approves or denies (see {@link Troupe#approvals()}). */
    WAITING_FOR_APPROVAL,
    /**
     * Unfinished, and it needs models, tools or mechanisms this runtime does not have: it waits, untouched, for a
     * runtime that has them.
     */
    WAITING_FOR_RUNTIME,
    /** Ended with {@link Outcome.Completed}. */
    COMPLETED,
    /** Ended with {@link Outcome.Failed}. */
    FAILED,
    /** Ended with {@link Outcome.BudgetExceeded}. */
    BUDGET_EXCEEDED,
    /** Ended with {@link Outcome.Cancelled}. */
    CANCELLED;

    /** Whether the run has ended. */
    public boolean isFinished() {
        return ordinal() >= COMPLETED.ordinal();
    }

    /** The status of a run that ended with {@code outcome}. */
    public static RunStatus of(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Completed completed -> COMPLETED;
            case Outcome.Failed failed -> FAILED;
            case Outcome.BudgetExceeded exceeded -> BUDGET_EXCEEDED;
            case Outcome.Cancelled cancelled -> CANCELLED;
        };
    }
}
