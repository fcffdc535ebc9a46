package io.troupe.guard;

import io.troupe.api.Checks;
import io.troupe.guard.injection.Spotlight;
import java.util.Set;

/**
 * What the prompt-injection guardrail does with untrusted text: where it looks, and how it responds to a text the
 * detector scores as an injection, as suspicious or as benign. Quarantined text is marked as data with the run's
 * {@link Spotlight}, and the model call that follows is told what the marks mean.
 *
 * @param places where to look: tool results by default; messages and the task too if they may carry untrusted text
 * @param onInjection the response to a text scored at or above the injection threshold
 * @param onSuspicious the response to a text scored between the suspicion and injection thresholds
 * @param onBenign the response to the rest ({@link Response#QUARANTINE} marks all untrusted text as data)
 * @param spotlight how quarantined text is marked
 * @param classifier whether the embedding classifier runs beside the rules (higher recall, about 25 ms per text
 *     and a one-time model load)
 */
public record InjectionPolicy(
        Set<Place> places,
        Response onInjection,
        Response onSuspicious,
        Response onBenign,
        Spotlight.Mode spotlight,
        boolean classifier) {

    /** How the guardrail responds to a text. */
    public enum Response {
        /** Let it through as it is. */
        PASS,
        /** Let it through marked as data. */
        QUARANTINE,
        /** Hold it for a person. */
        ASK,
        /** Block it: a tool result becomes an error the model reads, a message is not read. */
        BLOCK,
        /** Block it and end the run as failed. */
        END_RUN
    }

    /** No injection guardrail. */
    public static final InjectionPolicy OFF =
            new InjectionPolicy(Set.of(), Response.PASS, Response.PASS, Response.PASS, Spotlight.Mode.DELIMIT, false);

    /**
     * On tool results, the main path of indirect injection: blocks injections, quarantines suspicious texts, lets the
     * rest through, with the classifier. Add {@link Place#MESSAGES} for agents that read other agents' answers (a
     * compromised peer), and {@link Place#TASK} for tasks that carry documents.
     */
    public static final InjectionPolicy STANDARD = new InjectionPolicy(
            Set.of(Place.TOOL_RESULTS),
            Response.BLOCK,
            Response.QUARANTINE,
            Response.PASS,
            Spotlight.Mode.DELIMIT,
            true);

    public InjectionPolicy {
        places = Set.copyOf(Checks.notNull(places, "InjectionPolicy places"));
        for (Place place : places) {
            if (place == Place.TOOL_ARGUMENTS || place == Place.ANSWERS) {
                throw new IllegalArgumentException("the injection guardrail reads untrusted input (task, messages,"
                        + " tool results), not " + place.label());
            }
        }
        Checks.notNull(onInjection, "InjectionPolicy onInjection");
        Checks.notNull(onSuspicious, "InjectionPolicy onSuspicious");
        Checks.notNull(onBenign, "InjectionPolicy onBenign");
        Checks.notNull(spotlight, "InjectionPolicy spotlight");
    }

    /** This policy looking in {@code places}. */
    public InjectionPolicy withPlaces(Set<Place> places) {
        return new InjectionPolicy(places, onInjection, onSuspicious, onBenign, spotlight, classifier);
    }

    /** This policy with the given responses. */
    public InjectionPolicy withResponses(Response onInjection, Response onSuspicious, Response onBenign) {
        return new InjectionPolicy(places, onInjection, onSuspicious, onBenign, spotlight, classifier);
    }

    /** This policy marking quarantined text with {@code spotlight}. */
    public InjectionPolicy withSpotlight(Spotlight.Mode spotlight) {
        return new InjectionPolicy(places, onInjection, onSuspicious, onBenign, spotlight, classifier);
    }

    /** This policy with or without the embedding classifier. */
    public InjectionPolicy withClassifier(boolean classifier) {
        return new InjectionPolicy(places, onInjection, onSuspicious, onBenign, spotlight, classifier);
    }

    /** Whether the guardrail looks at {@code place}. */
    public boolean covers(Place place) {
        return places.contains(place);
    }
}
