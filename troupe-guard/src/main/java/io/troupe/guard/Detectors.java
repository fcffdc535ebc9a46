package io.troupe.guard;

import io.troupe.guard.injection.InjectionDetector;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The injection detectors a guard uses, built on first use: the rules alone are instant, the full detector loads the
 * embedding model (seconds), once per guard. Thread-safe.
 */
final class Detectors {
    private final Supplier<InjectionDetector> full;
    private volatile @Nullable InjectionDetector loaded;
    private final InjectionDetector rules;

    /**
     * @param full the detector with the classifier
     * @param tune what the guard changes in both detectors: a judge, thresholds
     */
    Detectors(Supplier<InjectionDetector> full, UnaryOperator<InjectionDetector> tune) {
        this.full = () -> tune.apply(full.get());
        this.rules = tune.apply(InjectionDetector.rulesOnly());
    }

    /** The detector of {@code policy}: with the classifier or without. */
    InjectionDetector of(InjectionPolicy policy) {
        return policy.classifier() ? full() : rules;
    }

    /** The full detector, loading it on first use. */
    InjectionDetector full() {
        InjectionDetector detector = loaded;
        if (detector == null) {
            synchronized (this) {
                detector = loaded;
                if (detector == null) {
                    detector = full.get();
                    loaded = detector;
                }
            }
        }
        return detector;
    }
}
