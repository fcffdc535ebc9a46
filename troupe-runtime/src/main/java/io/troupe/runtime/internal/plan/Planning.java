package io.troupe.runtime.internal.plan;

import io.troupe.api.ConfigurationException;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.MechanismSpec;
import io.troupe.runtime.internal.registry.Registry;
import io.troupe.runtime.internal.turn.ToolGate;
import io.troupe.runtime.internal.turn.Turns;
import io.troupe.runtime.mechanism.Auction;
import io.troupe.runtime.mechanism.Blackboard;
import io.troupe.runtime.mechanism.ContractNet;
import io.troupe.runtime.mechanism.Debate;
import io.troupe.runtime.mechanism.GroupChat;
import io.troupe.runtime.mechanism.Handoff;
import io.troupe.runtime.mechanism.ManagerWorkers;
import io.troupe.runtime.mechanism.Parallel;
import io.troupe.runtime.mechanism.Sequential;

/**
 * Planning for a node: the turn phases and the node's mechanisms, from which each conversation gets its
 * {@link Planner}. One per node; thread-safe.
 */
public final class Planning {
    private final Registry registry;
    private final Turns turns;

    public Planning(Registry registry) {
        this.registry = registry;
        this.turns = new Turns(registry, new ToolGate(registry.schemas()));
    }

    /** The planner of a conversation whose team collaborates by {@code mechanism}. */
    public Planner planner(MechanismSpec mechanism) {
        return new Planner(turns, collaboration(mechanism), mechanism.kind());
    }

    /** The mechanism for {@code spec}. */
    Collaboration collaboration(MechanismSpec spec) {
        return switch (spec) {
            case MechanismSpec.Sequential sequential -> new Sequential(sequential);
            case MechanismSpec.ManagerWorkers managerWorkers -> new ManagerWorkers(managerWorkers);
            case MechanismSpec.Parallel parallel -> new Parallel(parallel);
            case MechanismSpec.GroupChat groupChat -> new GroupChat(groupChat);
            case MechanismSpec.Handoff handoff -> new Handoff(handoff);
            case MechanismSpec.ContractNet contractNet -> new ContractNet(contractNet);
            case MechanismSpec.Auction auction -> new Auction(auction);
            case MechanismSpec.Debate debate -> new Debate(debate);
            case MechanismSpec.Blackboard blackboard -> new Blackboard(blackboard);
            case MechanismSpec.Custom custom -> {
                var factory = registry.mechanisms().get(custom.name());
                if (factory == null) {
                    throw new ConfigurationException(
                            "mechanism '" + custom.name() + "' is not registered on this node");
                }
                yield factory.apply(custom);
            }
        };
    }
}
