package io.troupe.tune.lora;

import java.time.Duration;
import java.util.Locale;

/**
 * Where a training run stands after a step.
 *
 * @param step steps done (1-based after the first step)
 * @param steps steps in the whole run
 * @param epoch the epoch of this step (1-based)
 * @param loss the mean loss per trained token of this step's batch
 * @param tokensPerSecond tokens of sequence processed per second over the last 10 steps (the first steps are slow)
 * @param elapsed time since this run (or resume) began
 * @param eta the estimated time left, at the pace of the last 10 steps
 */
public record TrainingProgress(
        int step, int steps, int epoch, double loss, double tokensPerSecond, Duration elapsed, Duration eta) {

    /** One line for a terminal: {@code step 12/60  epoch 1  loss 1.2345  830 tok/s  ETA 0:41}. */
    public String describe() {
        return String.format(
                Locale.ROOT,
                "step %d/%d  epoch %d  loss %.4f  %.0f tok/s  elapsed %s  ETA %s",
                step,
                steps,
                epoch,
                loss,
                tokensPerSecond,
                clock(elapsed),
                clock(eta));
    }

    static String clock(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
