package io.troupe.guard;

import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Interceptor;
import io.troupe.api.intercept.Point;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.tool.ToolResult;
import java.util.Set;

/**
 * Cuts a tool's result to the agent's limit before a model reads it (and before the other guardrails scan it), with
 * a note that says how much was left out: a tool cannot flood a prompt, or the budget, with a result of any size.
 * Thread-safe.
 */
final class ResultLimitInterceptor implements Interceptor {
    static final String NAME = "result-limit";
    /** The points it applies to. */
    static final Set<Point> POINTS = Set.copyOf(Set.of(Point.TOOL_OUTPUT));

    private final Scopes scopes;

    ResultLimitInterceptor(Scopes scopes) {
        this.scopes = scopes;
    }

    @Override
    public Set<Point> points() {
        return POINTS;
    }

    @Override
    public Verdict intercept(Interception interception) {
        int limit = scopes.of(interception.context()).maxToolResultChars();
        if (limit <= 0 || !(interception.subject() instanceof Interception.Subject.ToolOutput output)) {
            return Verdict.proceed();
        }
        String content = output.result().content();
        if (content.length() <= limit) {
            return Verdict.proceed();
        }
        int end = limit;
        if (Character.isHighSurrogate(content.charAt(end - 1))) {
            end--; // never split a character
        }
        int left = content.length() - end;
        String cut = content.substring(0, end) + "\n[cut: " + left + " more characters of this result were left out;"
                + " the limit is " + limit + "]";
        return Verdict.replace(
                new Interception.Subject.ToolOutput(
                        output.call(), new ToolResult(cut, output.result().error())),
                "cut the result of tool '" + output.call().name() + "' from " + content.length() + " to " + limit
                        + " characters");
    }
}
