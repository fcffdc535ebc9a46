package io.troupe.tune.hosted;

import org.jspecify.annotations.Nullable;

/**
 * One event of a job: a message, or a metrics report with the step and the training loss.
 *
 * @param id the event id
 * @param level info, warn or error
 * @param message what happened
 * @param step the training step, for metrics events
 * @param totalSteps the steps of the whole job, for metrics events
 * @param trainLoss the training loss at {@code step}, for metrics events
 */
public record JobEvent(
        String id,
        String level,
        String message,
        @Nullable Integer step,
        @Nullable Integer totalSteps,
        @Nullable Double trainLoss) {}
