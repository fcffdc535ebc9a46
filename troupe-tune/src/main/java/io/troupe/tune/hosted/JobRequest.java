package io.troupe.tune.hosted;

import org.jspecify.annotations.Nullable;

/**
 * What to fine-tune.
 *
 * @param model the base model, such as {@code gpt-4o-mini-2024-07-18}
 * @param trainingFile the id of the uploaded training file
 * @param validationFile the id of an uploaded validation file, or null
 * @param suffix up to 64 characters added to the fine-tuned model's name, or null
 * @param epochs training epochs, or null for the provider's choice
 * @param seed the job's seed, or null
 */
public record JobRequest(
        String model,
        String trainingFile,
        @Nullable String validationFile,
        @Nullable String suffix,
        @Nullable Integer epochs,
        @Nullable Integer seed) {
    public JobRequest {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("JobRequest model must name the base model");
        }
        if (trainingFile == null || trainingFile.isBlank()) {
            throw new IllegalArgumentException("JobRequest trainingFile must be the id of an uploaded file");
        }
        if (suffix != null && suffix.length() > 64) {
            throw new IllegalArgumentException("JobRequest suffix has " + suffix.length() + " characters; at most 64");
        }
        if (epochs != null && epochs < 1) {
            throw new IllegalArgumentException("JobRequest epochs must be at least 1, got " + epochs);
        }
    }
}
