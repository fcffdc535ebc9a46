package io.troupe.runtime.internal.node;

import java.time.Duration;

/**
 * A node's admission limits (see {@link Admission}).
 *
 * @param maxRunsInFlight runs started on this node that may run at once
 * @param maxQueuedRuns runs that may wait for one of those to end
 * @param maxQueueWait how long a run may wait before it is refused
 */
public record AdmissionLimits(int maxRunsInFlight, int maxQueuedRuns, Duration maxQueueWait) {}
