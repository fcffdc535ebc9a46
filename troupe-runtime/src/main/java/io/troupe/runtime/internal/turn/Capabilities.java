package io.troupe.runtime.internal.turn;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.agent.Permissions;
import io.troupe.api.team.Member;
import io.troupe.runtime.internal.state.ConversationState;
import io.troupe.runtime.internal.state.TurnState;
import java.util.ArrayList;
import java.util.List;

/**
 * What an agent may do in one turn: its own {@link Permissions}, narrowed by those of every agent up its delegation
 * chain. A delegated turn acts for the agent whose {@code delegate} call started it, so a delegate never gets more
 * than its delegator has: a compromised manager cannot widen a worker's reach by asking it.
 *
 * @param permissions the effective permissions
 * @param delegators the agents the turn acts for, nearest first; empty for a turn the mechanism started
 */
record Capabilities(Permissions permissions, List<AgentSpec> delegators) {

    /** The capabilities of {@code agent} in {@code turn}. */
    static Capabilities of(ConversationState state, TurnState turn, AgentSpec agent) {
        Permissions permissions = agent.permissions();
        List<AgentSpec> delegators = new ArrayList<>();
        TurnState current = turn;
        // Each delegated turn waits on its delegator's open turn, so the chain is finite and acyclic; the bound
        // guards against a corrupt journal.
        for (int depth = 0; depth < 64 && current.started().parentStep() != null; depth++) {
            TurnState parent = state.ownerOf(current.started().parentStep());
            if (parent == null || !(state.member(parent.agentId()) instanceof Member.Agent delegator)) {
                break;
            }
            delegators.add(delegator.spec());
            permissions = permissions.intersect(delegator.spec().permissions());
            current = parent;
        }
        return new Capabilities(permissions, List.copyOf(delegators));
    }

    /**
     * Why {@code agent} may not do something that {@code allowed} tests, naming the delegator that lacks it when the
     * agent itself has it.
     */
    String denial(AgentSpec agent, String what, java.util.function.Predicate<Permissions> allowed) {
        if (!allowed.test(agent.permissions())) {
            return "This agent is not permitted to " + what + ".";
        }
        for (AgentSpec delegator : delegators) {
            if (!allowed.test(delegator.permissions())) {
                return "This agent is not permitted to " + what + " while it works for '" + delegator.id()
                        + "', which may not: a delegate gets no more than its delegator.";
            }
        }
        return "This agent is not permitted to " + what + ".";
    }
}
