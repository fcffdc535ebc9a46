package io.troupe.tune.hosted;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What a poll of a hosted job found: its status and, when the provider reports metrics, the step and training loss.
 *
 * @param job the job as last reported
 * @param latest the newest event, if any
 */
public record HostedProgress(FineTuneJob job, @Nullable JobEvent latest) {

    /** One line for a terminal: {@code ftjob-1 running  step 40/100  loss 0.4120}. */
    public String describe() {
        StringBuilder text =
                new StringBuilder(job.id()).append(' ').append(job.status().id());
        if (latest != null && latest.step() != null) {
            text.append("  step ").append(latest.step());
            if (latest.totalSteps() != null) {
                text.append('/').append(latest.totalSteps());
            }
            if (latest.trainLoss() != null) {
                text.append(String.format(Locale.ROOT, "  loss %.4f", latest.trainLoss()));
            }
        } else if (latest != null) {
            text.append("  ").append(latest.message());
        }
        return text.toString();
    }
}
