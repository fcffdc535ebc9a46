package io.troupe.guard;

import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Interceptor;
import io.troupe.api.intercept.Point;
import io.troupe.api.intercept.Verdict;
import io.troupe.guard.pii.PiiDetector;
import io.troupe.guard.pii.PiiEntity;
import io.troupe.guard.pii.PiiRedactor;
import io.troupe.guard.pii.PiiType;
import io.troupe.guard.pii.PiiVault;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The PII guardrail on the seam: redacts personal data to the run's placeholders before it is journaled (the task,
 * messages, tool arguments and results, model answers), or blocks or holds what carries it. Its reasons name types
 * and counts, never values. Thread-safe.
 */
final class PiiInterceptor implements Interceptor {
    static final String NAME = "pii";
    /** The points it applies to. */
    static final Set<Point> POINTS =
            Set.of(Point.TASK, Point.INCOMING, Point.MODEL_ANSWER, Point.TOOL_USE, Point.TOOL_OUTPUT, Point.OUTGOING);

    private final Scopes scopes;
    private final GuardRuns runs;
    private final Map<PiiPolicy, PiiDetector> detectors = new ConcurrentHashMap<>();

    PiiInterceptor(Scopes scopes, GuardRuns runs) {
        this.scopes = scopes;
        this.runs = runs;
    }

    @Override
    public Set<Point> points() {
        return POINTS;
    }

    /** The detector of {@code policy}'s types and confidence. */
    PiiDetector detector(PiiPolicy policy) {
        return detectors.computeIfAbsent(
                policy.withAction(PiiPolicy.Action.REDACT).restoringFor().withPlaces(Place.ALL),
                p -> PiiDetector.builder()
                        .types(p.types())
                        .minConfidence(p.minConfidence())
                        .build());
    }

    @Override
    public Verdict intercept(Interception interception) {
        PiiPolicy policy = scopes.of(interception.context()).pii();
        Place place = Place.of(interception.point());
        RunTree tree = runs.tree(interception.context(), interception.point());
        if (place == null || !policy.covers(place)) {
            return Verdict.proceed();
        }
        PiiDetector detector = detector(policy);
        Interception.Subject subject = interception.subject();
        Map<PiiType, Integer> counts = new EnumMap<>(PiiType.class);
        if (policy.action() == PiiPolicy.Action.REDACT) {
            PiiVault vault = tree.vault(runs.binding());
            Interception.Subject redacted = SubjectTexts.map(subject, text -> {
                List<PiiEntity> entities = detector.detect(text);
                entities.forEach(e -> counts.merge(e.type(), 1, Integer::sum));
                return PiiRedactor.redact(text, entities, vault).text();
            });
            return redacted == subject ? Verdict.proceed() : Verdict.replace(redacted, "redacted " + summary(counts));
        }
        for (SubjectTexts.Part part : SubjectTexts.of(subject)) {
            detector.detect(part.text()).forEach(e -> counts.merge(e.type(), 1, Integer::sum));
        }
        if (counts.isEmpty()) {
            return Verdict.proceed();
        }
        String reason = "it carries personal data (" + summary(counts) + ")";
        return policy.action() == PiiPolicy.Action.BLOCK
                ? Verdict.block(reason)
                : Verdict.askHuman(reason + "; let it through as it is?");
    }

    /** {@code 2 EMAIL, 1 PHONE}: types and counts, never values. */
    static String summary(Map<PiiType, Integer> counts) {
        StringBuilder s = new StringBuilder();
        counts.forEach((type, n) ->
                s.append(s.isEmpty() ? "" : ", ").append(n).append(' ').append(type));
        return s.toString();
    }
}
