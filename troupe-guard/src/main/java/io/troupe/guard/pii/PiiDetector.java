package io.troupe.guard.pii;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds personal data in a text: runs one {@link Recognizer} per {@link PiiType}, drops candidates below the
 * minimum confidence, and resolves overlaps (the more certain, then the longer, then the validated type wins).
 *
 * <p>Immutable and safe to share between threads; build it once. Typical cost: tens of microseconds for a short
 * message, linear in the length of the text.
 */
public final class PiiDetector {
    /** The confidence below which candidates are dropped unless the builder says otherwise. */
    public static final double DEFAULT_MIN_CONFIDENCE = 0.5;

    private static final Map<PiiType, Recognizer> BUILT_IN = Map.of(
            PiiType.EMAIL, new EmailRecognizer(),
            PiiType.PHONE, new PhoneRecognizer(),
            PiiType.CREDIT_CARD, new CardRecognizer(),
            PiiType.IBAN, new IbanRecognizer(),
            PiiType.US_SSN, new SsnRecognizer(),
            PiiType.IP_ADDRESS, new IpRecognizer(),
            PiiType.PERSON, new NameRecognizer(),
            PiiType.ADDRESS, new AddressRecognizer(),
            PiiType.SECRET, new SecretRecognizer());

    private final List<Recognizer> recognizers;
    private final Set<PiiType> types;
    private final double minConfidence;

    private PiiDetector(List<Recognizer> recognizers, Set<PiiType> types, double minConfidence) {
        this.recognizers = List.copyOf(recognizers);
        this.types = Set.copyOf(types);
        this.minConfidence = minConfidence;
    }

    /** A detector of every type with the default minimum confidence. */
    public static PiiDetector standard() {
        return builder().build();
    }

    /** A builder that starts with every type and the default minimum confidence. */
    public static Builder builder() {
        return new Builder();
    }

    /** The types this detector reports. */
    public Set<PiiType> types() {
        return types;
    }

    /** Every entity in {@code text}, by start offset, without overlaps. */
    public List<PiiEntity> detect(String text) {
        List<PiiEntity> candidates = new ArrayList<>();
        for (Recognizer recognizer : recognizers) {
            for (PiiEntity entity : recognizer.find(text)) {
                if (entity.confidence() >= minConfidence && types.contains(entity.type())) {
                    candidates.add(entity);
                }
            }
        }
        candidates.sort(Comparator.comparingDouble(PiiEntity::confidence)
                .reversed()
                .thenComparing(Comparator.comparingInt((PiiEntity e) -> e.end() - e.start())
                        .reversed())
                .thenComparing(e -> !e.type().validated())
                .thenComparingInt(PiiEntity::start));
        List<PiiEntity> chosen = new ArrayList<>();
        for (PiiEntity candidate : candidates) {
            if (chosen.stream().noneMatch(candidate::overlaps)) {
                chosen.add(candidate);
            }
        }
        chosen.sort(Comparator.comparingInt(PiiEntity::start));
        return List.copyOf(chosen);
    }

    /** Builds a {@link PiiDetector}. */
    public static final class Builder {
        private final EnumSet<PiiType> types = EnumSet.allOf(PiiType.class);
        private final List<Recognizer> extra = new ArrayList<>();
        private double minConfidence = DEFAULT_MIN_CONFIDENCE;

        private Builder() {}

        /** Reports only {@code only}; the default is every type. */
        public Builder types(Set<PiiType> only) {
            if (only.isEmpty()) {
                throw new IllegalArgumentException("PiiDetector types must not be empty; leave them out for all types");
            }
            types.clear();
            types.addAll(only);
            return this;
        }

        /** Drops candidates below {@code confidence} (from 0 to 1; default 0.5). */
        public Builder minConfidence(double confidence) {
            if (!(confidence >= 0 && confidence <= 1)) {
                throw new IllegalArgumentException("minConfidence must be within [0, 1], was " + confidence);
            }
            this.minConfidence = confidence;
            return this;
        }

        /** Adds a recogniser of your own, for example for customer numbers; its types must be among {@link #types}. */
        public Builder recognizer(Recognizer recognizer) {
            extra.add(recognizer);
            return this;
        }

        /** The detector. */
        public PiiDetector build() {
            List<Recognizer> all = new ArrayList<>();
            for (PiiType type : types) {
                all.add(BUILT_IN.get(type));
            }
            all.addAll(extra);
            return new PiiDetector(all, types, minConfidence);
        }
    }
}
