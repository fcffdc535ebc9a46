package io.troupe.tune.hosted;

import io.troupe.api.TroupeException;
import org.jspecify.annotations.Nullable;

/**
 * The fine-tuning API refused a request or could not be reached. The message carries the API's own explanation and
 * what to do; {@link #retriable()} says whether trying again later may help (rate limits, server errors, network).
 */
public final class HostedFineTuneException extends TroupeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean retriable;

    HostedFineTuneException(String message, int status, boolean retriable, @Nullable Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retriable = retriable;
    }

    /** The HTTP status, or 0 when no response arrived. */
    public int status() {
        return status;
    }

    /** Whether trying again later may succeed. */
    public boolean retriable() {
        return retriable;
    }
}
