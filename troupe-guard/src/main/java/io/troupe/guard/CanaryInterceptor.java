package io.troupe.guard;

import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Interceptor;
import io.troupe.api.intercept.Point;
import io.troupe.api.intercept.Verdict;
import java.util.Optional;
import java.util.Set;

/**
 * The system-prompt canary on the seam: every model call of an agent with the canary on gets the run's secret
 * marker in its system prompt, and a model answer, tool call or message in which the marker appears (verbatim or
 * transformed: separated, reversed, base64, hex, ROT13, percent-encoded) is blocked, as it leaks the system prompt.
 * Thread-safe.
 */
final class CanaryInterceptor implements Interceptor {
    static final String NAME = "canary";
    /** The points it applies to. */
    static final Set<Point> POINTS =
            Set.copyOf(Set.of(Point.MODEL_CALL, Point.MODEL_ANSWER, Point.TOOL_USE, Point.OUTGOING));

    private final Scopes scopes;
    private final GuardRuns runs;

    CanaryInterceptor(Scopes scopes, GuardRuns runs) {
        this.scopes = scopes;
        this.runs = runs;
    }

    @Override
    public Set<Point> points() {
        return POINTS;
    }

    @Override
    public Verdict intercept(Interception interception) {
        if (!scopes.of(interception.context()).canary()) {
            return Verdict.proceed();
        }
        RunTree tree = runs.tree(interception.context(), interception.point());
        if (interception.subject() instanceof Interception.Subject.ModelCall call) {
            String system = call.request().systemText();
            if (system.contains(tree.canary.token())) {
                return Verdict.proceed();
            }
            String line = tree.canary.embedIn("").strip();
            return Verdict.replace(
                    new Interception.Subject.ModelCall(
                            call.model(), InjectionInterceptor.Prompts.withSystemText(call.request(), line)),
                    "added the run's canary to the system prompt");
        }
        for (SubjectTexts.Part part : SubjectTexts.of(interception.subject())) {
            Optional<String> leak = tree.canary.leakIn(part.text());
            if (leak.isPresent()) {
                return Verdict.block("the system prompt leaked: the run's canary appears in the " + what(interception)
                        + " (" + leak.get() + ")");
            }
        }
        return Verdict.proceed();
    }

    private static String what(Interception interception) {
        return switch (interception.point()) {
            case TOOL_USE -> "arguments of a tool call";
            case OUTGOING -> "message";
            default -> "model's answer";
        };
    }
}
