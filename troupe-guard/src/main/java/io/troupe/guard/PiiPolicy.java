package io.troupe.guard;

import io.troupe.api.Checks;
import io.troupe.guard.pii.PiiDetector;
import io.troupe.guard.pii.PiiType;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the PII guardrail does: find personal data of some {@link PiiType types} in some {@link Place places} and
 * redact it to typed placeholders ({@code <EMAIL_1>}), block it, or ask a person.
 *
 * <p>With redaction on, raw values never reach the journal: the task, messages, tool results, model answers and tool
 * arguments are redacted before they are journaled, and the values wait in the run's vault, in memory only. Tools in
 * {@link #restoreFor} receive the values back at the moment they run ({@code Guard#wrap}); their results are
 * redacted again.
 *
 * @param action what to do on a find
 * @param types the types to look for
 * @param places where to look
 * @param minConfidence candidates below this confidence (0 to 1) are ignored
 * @param restoreFor the tools that may see the raw values behind placeholders in their arguments
 */
public record PiiPolicy(
        Action action, Set<PiiType> types, Set<Place> places, double minConfidence, Set<String> restoreFor) {

    /** What to do when personal data is found. */
    public enum Action {
        /** Nothing: the guardrail is off. */
        OFF,
        /** Replace each value with its placeholder. */
        REDACT,
        /** Block what carries it. */
        BLOCK,
        /** Hold it for a person to approve as it is. */
        ASK
    }

    /** No PII guardrail. */
    public static final PiiPolicy OFF = new PiiPolicy(
            Action.OFF, EnumSet.allOf(PiiType.class), Place.ALL, PiiDetector.DEFAULT_MIN_CONFIDENCE, Set.of());

    public PiiPolicy {
        Checks.notNull(action, "PiiPolicy action");
        types = Set.copyOf(Checks.notNull(types, "PiiPolicy types"));
        places = Set.copyOf(Checks.notNull(places, "PiiPolicy places"));
        if (!(minConfidence >= 0 && minConfidence <= 1)) {
            throw new IllegalArgumentException("PiiPolicy minConfidence must be within [0, 1], was " + minConfidence);
        }
        restoreFor = Set.copyOf(Checks.names(restoreFor, "PiiPolicy restoreFor"));
        if (action != Action.OFF && types.isEmpty()) {
            throw new IllegalArgumentException("PiiPolicy types must not be empty; use PiiPolicy.OFF for none");
        }
    }

    /** Redacts every type everywhere, restoring values for no tool. */
    public static PiiPolicy redact() {
        return OFF.withAction(Action.REDACT);
    }

    /** This policy with {@code action}. */
    public PiiPolicy withAction(Action action) {
        return new PiiPolicy(action, types, places, minConfidence, restoreFor);
    }

    /** This policy looking for {@code types} only. */
    public PiiPolicy withTypes(Set<PiiType> types) {
        return new PiiPolicy(action, types, places, minConfidence, restoreFor);
    }

    /** This policy looking in {@code places} only. */
    public PiiPolicy withPlaces(Set<Place> places) {
        return new PiiPolicy(action, types, places, minConfidence, restoreFor);
    }

    /** This policy ignoring candidates below {@code minConfidence}. */
    public PiiPolicy withMinConfidence(double minConfidence) {
        return new PiiPolicy(action, types, places, minConfidence, restoreFor);
    }

    /** This policy restoring raw values for {@code tools}. */
    public PiiPolicy restoringFor(String... tools) {
        return new PiiPolicy(action, types, places, minConfidence, Set.of(tools));
    }

    /** Whether the guardrail looks at {@code place}. */
    public boolean covers(Place place) {
        return action != Action.OFF && places.contains(place);
    }
}
