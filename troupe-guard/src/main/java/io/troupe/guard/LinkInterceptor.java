package io.troupe.guard;

import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Interceptor;
import io.troupe.api.intercept.Point;
import io.troupe.api.intercept.Verdict;
import io.troupe.guard.sink.UrlCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Links and images in model answers and sent messages whose host is not allowed: removed (each becomes
 * {@code [link removed]}) or the whole answer blocked, by the agent's {@link LinkPolicy}. Stops exfiltration through
 * rendered markdown images and links. The arguments of tool calls are left to the checks of the tools' sinks (a URL
 * sink has its own allow-list), so that a call is refused with its reason rather than run with a mangled argument.
 * Thread-safe.
 */
final class LinkInterceptor implements Interceptor {
    static final String NAME = "links";
    /** The points it applies to. */
    static final Set<Point> POINTS = Set.copyOf(Set.of(Point.MODEL_ANSWER, Point.OUTGOING));

    static final String REMOVED = "[link removed]";

    private final Scopes scopes;
    private final Map<Set<String>, UrlCheck> checks = new ConcurrentHashMap<>();

    LinkInterceptor(Scopes scopes) {
        this.scopes = scopes;
    }

    @Override
    public Set<Point> points() {
        return POINTS;
    }

    @Override
    public Verdict intercept(Interception interception) {
        LinkPolicy policy = scopes.of(interception.context()).links();
        if (!policy.enabled()) {
            return Verdict.proceed();
        }
        UrlCheck check = checks.computeIfAbsent(policy.allow(), UrlCheck::allowing);
        int[] removed = {0};
        List<String> problems = new ArrayList<>();
        Interception.Subject subject = interception.subject();
        Interception.Subject cleaned = SubjectTexts.mapReadable(subject, text -> {
            List<UrlCheck.Found> refused = new ArrayList<>();
            for (UrlCheck.Found found : UrlCheck.find(text)) {
                if (text.startsWith(REMOVED, found.start())) {
                    continue; // removed already, at an earlier point (the answer, then the message that carries it)
                }
                String problem = check.problem(found.url());
                if (problem != null) {
                    refused.add(found);
                    problems.add((found.image() ? "an image " : "a link ") + problem);
                }
            }
            if (refused.isEmpty()) {
                return text;
            }
            StringBuilder out = new StringBuilder(text.length());
            int at = 0;
            for (UrlCheck.Found found : refused) {
                if (found.start() < at) {
                    continue;
                }
                out.append(text, at, found.start()).append(REMOVED);
                at = found.end();
                removed[0]++;
            }
            return out.append(text, at, text.length()).toString();
        });
        if (problems.isEmpty()) {
            return Verdict.proceed();
        }
        String first = problems.getFirst().replaceAll("\\?.*", ""); // never a query string: it may carry the data
        if (policy.block()) {
            return Verdict.block(problems.size() + " link(s) point outside the allow-list, e.g. " + first);
        }
        return Verdict.replace(cleaned, "removed " + removed[0] + " link(s) outside the allow-list " + policy.allow());
    }
}
