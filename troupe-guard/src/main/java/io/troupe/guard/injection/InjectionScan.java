package io.troupe.guard.injection;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The detector's finding on one text.
 *
 * @param score the combined score, from 0 to 1
 * @param level the verdict the score falls in
 * @param ruleScore the rules' noisy-OR score
 * @param modelScore the classifier's evidence (its probability calibrated so that its threshold is 0.5), or null when the detector runs without it
 * @param judgeScore the judge's probability, or null when no judge was asked
 * @param fired the rules, the model and the judge that fired, strongest first
 */
public record InjectionScan(
        double score,
        Level level,
        double ruleScore,
        @Nullable Double modelScore,
        @Nullable Double judgeScore,
        List<Signal> fired) {
    public InjectionScan {
        fired = List.copyOf(fired);
    }

    /** How a score reads. */
    public enum Level {
        /** Below the suspicion threshold. */
        BENIGN,
        /** Above the suspicion threshold, below the injection threshold: quarantine it, or ask. */
        SUSPICIOUS,
        /** At or above the injection threshold. */
        INJECTION;

        /** The level in lower case, as scan output prints it. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
