package io.troupe.api.agent;

import io.troupe.api.Checks;
import java.util.Set;

/**
 * What an agent may do beyond talking. The runtime checks these in the act step: a call that is not permitted is
 * refused with an error the model can read, and the refusal is journaled.
 *
 * @param tools the tools the agent may run, or {@code {"*"}} for every tool in its spec
 * @param delegates the agents it may delegate to, or {@code {"*"}} for every worker the mechanism offers
 */
public record Permissions(Set<String> tools, Set<String> delegates) {
    /** The wildcard that allows everything of a kind. */
    public static final String ANY = "*";

    /** Every tool in the agent's spec and every worker the mechanism offers. */
    public static final Permissions ALL = new Permissions(Set.of(ANY), Set.of(ANY));

    public Permissions {
        tools = Set.copyOf(Checks.notNull(tools, "Permissions tools"));
        delegates = Set.copyOf(Checks.notNull(delegates, "Permissions delegates"));
    }

    /** Whether the agent may run tool {@code name}. */
    public boolean allowsTool(String name) {
        return tools.contains(ANY) || tools.contains(name);
    }

    /** Whether the agent may delegate to {@code agentId}. */
    public boolean allowsDelegationTo(String agentId) {
        return delegates.contains(ANY) || delegates.contains(agentId);
    }
}
