package io.troupe.guard;

import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Interceptor;
import io.troupe.api.intercept.Point;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.tool.ToolTraits;
import java.util.Set;
import java.util.function.Function;

/**
 * Holds calls of sensitive tools for a person: those the {@link ApprovalPolicy} names and those whose traits are
 * marked sensitive. It stands after the other guardrails, so that the person sees the call as it would run
 * (redacted, checked). The run waits durably; a denial blocks the call, or ends the run if the policy says so.
 * Thread-safe.
 */
final class ApprovalInterceptor implements Interceptor {
    static final String NAME = "approvals";
    /** The points it applies to. */
    static final Set<Point> POINTS = Set.copyOf(Set.of(Point.TOOL_USE));

    private final ApprovalPolicy policy;
    private final Function<String, ToolTraits> traits;

    ApprovalInterceptor(ApprovalPolicy policy, Function<String, ToolTraits> traits) {
        this.policy = policy;
        this.traits = traits;
    }

    @Override
    public Set<Point> points() {
        return POINTS;
    }

    /** Whether calls of {@code tool} need approval. */
    boolean sensitive(String tool) {
        return policy.tools().contains(tool) || traits.apply(tool).sensitive();
    }

    @Override
    public Verdict intercept(Interception interception) {
        if (interception.subject() instanceof Interception.Subject.ToolUse use
                && sensitive(use.call().name())) {
            String agent = interception.context().agentId();
            String why = traits.apply(use.call().name()).sensitive() ? " is sensitive" : " needs approval";
            return new Verdict.AwaitHuman(
                    "tool '" + use.call().name() + "'" + why + ": a person must approve this call"
                            + (agent == null ? "" : " by " + agent),
                    policy.endRunOnDeny());
        }
        return Verdict.proceed();
    }
}
