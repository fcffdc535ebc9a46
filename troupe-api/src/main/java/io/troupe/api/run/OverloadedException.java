package io.troupe.api.run;

import io.troupe.api.TroupeException;

/**
 * Thrown when a runtime refuses a new run because it is at its limit: it runs as many runs as it may at once, and as
 * many more wait to start as may wait (or this one waited too long). Nothing of the run was journaled; submit it again
 * later, or raise the runtime's limits if the machine has room. Runs in progress are never refused or lost.
 */
public final class OverloadedException extends TroupeException {
    private static final long serialVersionUID = 1L;

    private final int maxRunsInFlight;

    public OverloadedException(String message, int maxRunsInFlight) {
        super(message);
        this.maxRunsInFlight = maxRunsInFlight;
    }

    /** The runtime's limit of runs in flight that was reached. */
    public int maxRunsInFlight() {
        return maxRunsInFlight;
    }
}
