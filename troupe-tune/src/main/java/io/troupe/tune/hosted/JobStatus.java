package io.troupe.tune.hosted;

import java.util.Locale;

/** Where a hosted fine-tuning job stands, as the API reports it. */
public enum JobStatus {
    VALIDATING_FILES,
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    /** A status this client does not know; treated as still in progress. */
    UNKNOWN;

    /** Whether the job has ended. */
    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** The status for the API's {@code status} string. */
    public static JobStatus of(String status) {
        try {
            return valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** The API's spelling: {@code running}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
