package io.troupe.guard;

import io.troupe.api.Checks;
import java.util.Set;

/**
 * Which tool calls wait for a person: the tools named here and every tool whose {@code ToolTraits#sensitive()} is
 * set. A waiting run survives restarts; a person approves or denies with {@code Troupe.approve}/{@code deny} or
 * {@code troupe approvals approve|deny}. An approved call runs once; a denied one becomes an error the model reads,
 * or ends the run with {@code endRunOnDeny}.
 *
 * @param tools the tools whose calls need approval, besides those marked sensitive
 * @param endRunOnDeny whether a denial ends the run as failed rather than letting the agent go on without the call
 */
public record ApprovalPolicy(Set<String> tools, boolean endRunOnDeny) {
    /** Approval for the tools marked sensitive only; a denial lets the agent go on. */
    public static final ApprovalPolicy SENSITIVE_TOOLS = new ApprovalPolicy(Set.of(), false);

    public ApprovalPolicy {
        tools = Set.copyOf(Checks.names(tools, "ApprovalPolicy tools"));
    }

    /** Approval for {@code tools} and those marked sensitive. */
    public static ApprovalPolicy forTools(String... tools) {
        return new ApprovalPolicy(Set.of(tools), false);
    }

    /** This policy ending the run on a denial. */
    public ApprovalPolicy endingRunOnDeny() {
        return new ApprovalPolicy(tools, true);
    }
}
