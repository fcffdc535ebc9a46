package io.troupe.tune.hosted;

import org.jspecify.annotations.Nullable;

/**
 * A hosted fine-tuning job, as last reported.
 *
 * @param id the job id, such as {@code ftjob-abc123}
 * @param model the base model
 * @param status where it stands
 * @param fineTunedModel the name of the resulting model once the job has succeeded, else null
 * @param trainedTokens tokens trained so far or in all, if reported
 * @param error why the job failed, if it did
 */
public record FineTuneJob(
        String id,
        String model,
        JobStatus status,
        @Nullable String fineTunedModel,
        @Nullable Long trainedTokens,
        @Nullable String error) {}
