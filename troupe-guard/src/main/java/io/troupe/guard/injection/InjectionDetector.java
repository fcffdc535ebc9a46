package io.troupe.guard.injection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * The prompt-injection detector for indirect injection: rules over de-obfuscated views of the text, a classifier
 * over sentence embeddings, and an optional judge model, combined into one score and a {@link InjectionScan.Level}.
 *
 * <p>The combined score is the noisy-OR of the rules' score and the classifier's probability: either can raise
 * it, and they reinforce each other. When a judge is set and the score falls in the uncertain band, the score
 * becomes the mean of the score and the judge's probability. A text scoring at least {@link #injectionThreshold}
 * is an injection, at least {@link #suspicionThreshold} suspicious. Thread-safe; build one and share it.
 */
public final class InjectionDetector {
    /** The default injection threshold. */
    public static final double INJECTION_THRESHOLD = 0.5;
    /** The default suspicion threshold. */
    public static final double SUSPICION_THRESHOLD = 0.3;
    /** Texts with a score in [{@value #JUDGE_LOW}, {@value #JUDGE_HIGH}) are put to the judge, if there is one. */
    public static final double JUDGE_LOW = 0.2;
    /** The upper end of the judge's band. */
    public static final double JUDGE_HIGH = 0.8;

    private final InjectionRules rules;
    private final @Nullable InjectionClassifier classifier;
    private final @Nullable InjectionJudge judge;
    private final double injectionThreshold;
    private final double suspicionThreshold;
    private final boolean judgeAll;

    /**
     * A detector.
     *
     * @param rules the rules
     * @param classifier the classifier, or null for rules alone (faster, lower recall on paraphrases)
     * @param judge the judge, or null for none
     * @param injectionThreshold the score from which a text is an injection
     * @param suspicionThreshold the score from which a text is suspicious; at most {@code injectionThreshold}
     */
    public InjectionDetector(
            InjectionRules rules,
            @Nullable InjectionClassifier classifier,
            @Nullable InjectionJudge judge,
            double injectionThreshold,
            double suspicionThreshold) {
        this(rules, classifier, judge, injectionThreshold, suspicionThreshold, false);
    }

    private InjectionDetector(
            InjectionRules rules,
            @Nullable InjectionClassifier classifier,
            @Nullable InjectionJudge judge,
            double injectionThreshold,
            double suspicionThreshold,
            boolean judgeAll) {
        if (!(suspicionThreshold >= 0 && suspicionThreshold <= injectionThreshold && injectionThreshold <= 1)) {
            throw new IllegalArgumentException("thresholds must satisfy 0 <= suspicion (" + suspicionThreshold
                    + ") <= injection (" + injectionThreshold + ") <= 1");
        }
        this.rules = rules;
        this.classifier = classifier;
        this.judge = judge;
        this.injectionThreshold = injectionThreshold;
        this.suspicionThreshold = suspicionThreshold;
        this.judgeAll = judgeAll;
    }

    /** The built-in rules and the shipped classifier, default thresholds, no judge. */
    public static InjectionDetector standard() {
        return new InjectionDetector(
                InjectionRules.standard(),
                InjectionClassifier.shipped(),
                null,
                INJECTION_THRESHOLD,
                SUSPICION_THRESHOLD);
    }

    /** The built-in rules alone: no embedding model to load, microseconds per text. */
    public static InjectionDetector rulesOnly() {
        return new InjectionDetector(InjectionRules.standard(), null, null, INJECTION_THRESHOLD, SUSPICION_THRESHOLD);
    }

    /** This detector with {@code judge} consulted on uncertain texts. */
    public InjectionDetector withJudge(InjectionJudge judge) {
        return new InjectionDetector(rules, classifier, judge, injectionThreshold, suspicionThreshold, false);
    }

    /**
     * This detector with {@code judge} consulted on every text ({@code all}), or only on texts whose score is in
     * [{@value #JUDGE_LOW}, {@value #JUDGE_HIGH}) (cheaper: most texts are clear either way).
     */
    public InjectionDetector withJudge(InjectionJudge judge, boolean all) {
        return new InjectionDetector(rules, classifier, judge, injectionThreshold, suspicionThreshold, all);
    }

    /**
     * This detector with other thresholds.
     *
     * @throws IllegalArgumentException unless 0 &lt;= suspicion &lt;= injection &lt;= 1
     */
    public InjectionDetector withThresholds(double injection, double suspicion) {
        return new InjectionDetector(rules, classifier, judge, injection, suspicion, judgeAll);
    }

    /** The score from which a text is an injection. */
    public double injectionThreshold() {
        return injectionThreshold;
    }

    /** The score from which a text is suspicious. */
    public double suspicionThreshold() {
        return suspicionThreshold;
    }

    /** Scans {@code text}. */
    public InjectionScan scan(String text) {
        TextViews views = TextViews.of(text);
        List<InjectionRules.Hit> hits = rules.apply(views);
        double ruleScore = InjectionRules.score(hits);
        List<Signal> fired = new ArrayList<>();
        for (InjectionRules.Hit hit : hits) {
            fired.add(new Signal(hit.id(), "rule", round(hit.weight()), hit.view()));
        }
        Double modelScore = null;
        double score = ruleScore;
        if (classifier != null) {
            InjectionClassifier.Score s = classifier.score(views);
            double evidence = calibrate(s.probability(), classifier.weights().threshold());
            modelScore = round(evidence);
            score = 1 - (1 - ruleScore) * (1 - evidence);
            if (evidence >= SUSPICION_THRESHOLD) {
                fired.add(new Signal(classifier.id(), "model", modelScore, s.view()));
            }
        }
        Double judgeScore = null;
        if (judge != null && (judgeAll || (score >= JUDGE_LOW && score < JUDGE_HIGH))) {
            OptionalDouble opinion = judge.judge(text);
            if (opinion.isPresent()) {
                judgeScore = round(opinion.getAsDouble());
                score = (score + opinion.getAsDouble()) / 2;
                if (opinion.getAsDouble() >= 0.5) {
                    fired.add(new Signal("judge", "judge", judgeScore, "text"));
                }
            }
        }
        fired.sort(Comparator.comparingDouble(Signal::score).reversed());
        InjectionScan.Level level = score >= injectionThreshold
                ? InjectionScan.Level.INJECTION
                : score >= suspicionThreshold ? InjectionScan.Level.SUSPICIOUS : InjectionScan.Level.BENIGN;
        return new InjectionScan(round(score), level, round(ruleScore), modelScore, judgeScore, fired);
    }

    /**
     * The classifier's probability mapped so that its own threshold lands on 0.5: below it the evidence grows
     * quadratically from 0 to 0.5, above it linearly from 0.5 to 1. The model alone then flags exactly what it was tuned to
     * flag, and a weak rule hit plus a near-threshold probability can add up.
     */
    static double calibrate(double probability, double threshold) {
        if (probability >= threshold) {
            return 0.5 + 0.5 * (probability - threshold) / (1 - threshold);
        }
        // Below its threshold the model is unsure: its evidence shrinks quadratically, so that a weak rule hit
        // and a weak model score do not add up to a verdict on their own.
        double linear = probability / threshold;
        return 0.5 * linear * linear;
    }

    private static double round(double x) {
        return Math.round(x * 10_000) / 10_000.0;
    }
}
