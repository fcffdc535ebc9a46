package io.troupe.server;

import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Interceptor;
import io.troupe.api.intercept.Point;
import io.troupe.api.intercept.Verdict;
import java.util.Set;
import java.util.TreeSet;

/**
 * Holds every call of the named tools until a person approves it through the API ({@code troupe serve
 * --require-approval transfer,send_email}); other calls proceed. Registered for every run, so every node of a
 * cluster must be started with the same tools.
 *
 * @param tools the tools whose calls wait for a person
 */
record ToolApprovals(Set<String> tools) implements Interceptor {
    /** The name its verdicts are journaled under. */
    static final String NAME = "server-approvals";

    ToolApprovals {
        tools = Set.copyOf(tools);
    }

    @Override
    public Verdict intercept(Interception interception) {
        if (interception.subject() instanceof Interception.Subject.ToolUse use
                && tools.contains(use.call().name())) {
            return Verdict.askHuman("calls of tool '" + use.call().name() + "' need a person's approval (the server"
                    + " requires it for " + new TreeSet<>(tools) + ")");
        }
        return Verdict.proceed();
    }

    @Override
    public Set<Point> points() {
        return Set.of(Point.TOOL_USE);
    }
}
