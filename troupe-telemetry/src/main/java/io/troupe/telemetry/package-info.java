/**
 * Traces and metrics of runs, derived from their journal events: OpenTelemetry spans and metrics that follow the GenAI
 * semantic conventions ({@link io.troupe.telemetry.GenAi#CONVENTIONS}), exported over OTLP, and Micrometer meters for
 * Prometheus. {@link io.troupe.telemetry.Telemetry} follows live runs through their subscriptions and exports replayed
 * ones; span and trace ids are derived from the run's id, so that every node and every replay of a run agree on them.
 */
@NullMarked
package io.troupe.telemetry;

import org.jspecify.annotations.NullMarked;
