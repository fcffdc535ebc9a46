package io.troupe.tune.lora;

import io.troupe.api.ConfigurationException;
import io.troupe.tune.model.LoraTarget;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How to train a LoRA adapter.
 *
 * @param rank the rank {@code r} of the low-rank matrices
 * @param alpha the adapter's alpha; its output is scaled by {@code alpha / r}
 * @param targets the weights of each block to adapt (attn_q and attn_v by default)
 * @param learningRate Adam's step size
 * @param epochs passes over the training set
 * @param batchSize sequences per optimiser step
 * @param maxGradNorm gradients are scaled down so that their global L2 norm is at most this; 0 turns clipping off
 * @param seed the seed of the adapter's initial values and of the shuffling of examples
 * @param threads CPU threads for the forward and backward passes
 * @param checkpointEvery write a checkpoint every this many steps (and at the end); 0 for only at the end
 * @param maxTokens sequences longer than this are refused, as the attention of a long sequence costs quadratic memory
 */
public record TrainingConfig(
        int rank,
        float alpha,
        Set<LoraTarget> targets,
        float learningRate,
        int epochs,
        int batchSize,
        float maxGradNorm,
        long seed,
        int threads,
        int checkpointEvery,
        int maxTokens) {

    /** Rank 8, alpha 16, attn_q and attn_v, learning rate 1e-3, 3 epochs, batches of 4, clipping at 1, all cores. */
    public static final TrainingConfig DEFAULTS = new TrainingConfig(
            8,
            16f,
            EnumSet.of(LoraTarget.ATTN_Q, LoraTarget.ATTN_V),
            1e-3f,
            3,
            4,
            1f,
            42,
            Runtime.getRuntime().availableProcessors(),
            50,
            1024);

    /** Checks every field and reports all problems at once. */
    public TrainingConfig {
        List<String> problems = new ArrayList<>();
        if (rank < 1 || rank > 1024) {
            problems.add("rank must be between 1 and 1024, got " + rank);
        }
        if (!(alpha > 0) || Float.isInfinite(alpha)) {
            problems.add("alpha must be a positive number, got " + alpha);
        }
        if (targets == null || targets.isEmpty()) {
            problems.add("targets must name at least one weight: " + LoraTarget.ids());
        }
        if (!(learningRate > 0) || learningRate > 1) {
            problems.add("learningRate must be in (0, 1], got " + learningRate);
        }
        if (epochs < 1) {
            problems.add("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            problems.add("batchSize must be at least 1, got " + batchSize);
        }
        if (!(maxGradNorm >= 0) || Float.isInfinite(maxGradNorm)) {
            problems.add("maxGradNorm must be 0 (off) or positive, got " + maxGradNorm);
        }
        if (threads < 1) {
            problems.add("threads must be at least 1, got " + threads);
        }
        if (checkpointEvery < 0) {
            problems.add("checkpointEvery must be 0 (only at the end) or positive, got " + checkpointEvery);
        }
        if (maxTokens < 2) {
            problems.add("maxTokens must be at least 2, got " + maxTokens);
        }
        ConfigurationException.throwIfAny("Invalid training configuration", problems);
        targets = Set.copyOf(EnumSet.copyOf(targets));
    }

    public TrainingConfig withRank(int rank) {
        return new TrainingConfig(
                rank,
                alpha,
                targets,
                learningRate,
                epochs,
                batchSize,
                maxGradNorm,
                seed,
                threads,
                checkpointEvery,
                maxTokens);
    }

    public TrainingConfig withAlpha(float alpha) {
        return new TrainingConfig(
                rank,
                alpha,
                targets,
                learningRate,
                epochs,
                batchSize,
                maxGradNorm,
                seed,
                threads,
                checkpointEvery,
                maxTokens);
    }

    public TrainingConfig withTargets(Set<LoraTarget> targets) {
        return new TrainingConfig(
                rank,
                alpha,
                targets,
                learningRate,
                epochs,
                batchSize,
                maxGradNorm,
                seed,
                threads,
                checkpointEvery,
                maxTokens);
    }

    public TrainingConfig withLearningRate(float learningRate) {
        return new TrainingConfig(
                rank,
                alpha,
                targets,
                learningRate,
                epochs,
                batchSize,
                maxGradNorm,
                seed,
                threads,
                checkpointEvery,
                maxTokens);
    }

    public TrainingConfig withEpochs(int epochs) {
        return new TrainingConfig(
                rank,
                alpha,
                targets,
                learningRate,
                epochs,
                batchSize,
                maxGradNorm,
                seed,
                threads,
                checkpointEvery,
                maxTokens);
    }

    public TrainingConfig withBatchSize(int batchSize) {
        return new TrainingConfig(
                rank,
                alpha,
                targets,
                learningRate,
                epochs,
                batchSize,
                maxGradNorm,
                seed,
                threads,
                checkpointEvery,
                maxTokens);
    }

    public TrainingConfig withMaxGradNorm(float maxGradNorm) {
        return new TrainingConfig(
                rank,
                alpha,
                targets,
                learningRate,
                epochs,
                batchSize,
                maxGradNorm,
                seed,
                threads,
                checkpointEvery,
                maxTokens);
    }

    public TrainingConfig withSeed(long seed) {
        return new TrainingConfig(
                rank,
                alpha,
                targets,
                learningRate,
                epochs,
                batchSize,
                maxGradNorm,
                seed,
                threads,
                checkpointEvery,
                maxTokens);
    }

    public TrainingConfig withThreads(int threads) {
        return new TrainingConfig(
                rank,
                alpha,
                targets,
                learningRate,
                epochs,
                batchSize,
                maxGradNorm,
                seed,
                threads,
                checkpointEvery,
                maxTokens);
    }

    public TrainingConfig withCheckpointEvery(int checkpointEvery) {
        return new TrainingConfig(
                rank,
                alpha,
                targets,
                learningRate,
                epochs,
                batchSize,
                maxGradNorm,
                seed,
                threads,
                checkpointEvery,
                maxTokens);
    }

    public TrainingConfig withMaxTokens(int maxTokens) {
        return new TrainingConfig(
                rank,
                alpha,
                targets,
                learningRate,
                epochs,
                batchSize,
                maxGradNorm,
                seed,
                threads,
                checkpointEvery,
                maxTokens);
    }

    /** The settings a resumed run must share with the checkpoint (threads and checkpointEvery may change). */
    String identity() {
        return "rank=" + rank + ", alpha=" + alpha + ", targets="
                + targets.stream().map(LoraTarget::id).sorted().toList()
                + ", learningRate=" + learningRate + ", epochs=" + epochs + ", batchSize=" + batchSize
                + ", maxGradNorm=" + maxGradNorm + ", seed=" + seed;
    }
}
