package io.troupe.tune.lora;

/** Receives a training run's progress after every step; called on the training thread, so keep it quick. */
@FunctionalInterface
public interface TrainingListener {
    /** Ignores progress. */
    TrainingListener NONE = progress -> {};

    void onStep(TrainingProgress progress);
}
