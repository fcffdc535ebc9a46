package io.troupe.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A spec's {@code runtime:} settings: how many runs the runtime that runs the spec holds at once. Each is null when
 * the spec leaves it to the runtime's default (or to a command-line option). Read from YAML as {@code
 * runtime: { max-runs-in-flight: 200, max-queued-runs: 50, max-queue-wait: 10s }}.
 *
 * @param maxRunsInFlight the runs started on the runtime that may run at once (at least 1), or null
 * @param maxQueuedRuns the new runs that may wait for a place (0 refuses at once), or null
 * @param maxQueueWait how long a new run may wait for a place, or null
 */
public record RuntimeSettings(
        @Nullable Integer maxRunsInFlight,
        @Nullable Integer maxQueuedRuns,
        @Nullable Duration maxQueueWait) {

    /** No settings: the runtime's defaults. */
    public static final RuntimeSettings DEFAULTS = new RuntimeSettings(null, null, null);

    public RuntimeSettings {
        if (maxRunsInFlight != null && maxRunsInFlight < 1) {
            throw new IllegalArgumentException("maxRunsInFlight must be at least 1, got " + maxRunsInFlight);
        }
        if (maxQueuedRuns != null && maxQueuedRuns < 0) {
            throw new IllegalArgumentException("maxQueuedRuns must not be negative, got " + maxQueuedRuns);
        }
        if (maxQueueWait != null && (maxQueueWait.isNegative() || maxQueueWait.isZero())) {
            throw new IllegalArgumentException("maxQueueWait must be positive, got " + maxQueueWait);
        }
    }
}
