package io.troupe.api.protocol;

import io.troupe.api.Checks;
import java.util.Arrays;
import java.util.List;

/**
 * Who a {@link Message} is addressed to: named agents, every holder of a role, or everyone in the conversation.
 */
public sealed interface Receivers {

    /** Addresses the given agents by id. */
    static Receivers agents(String... ids) {
        return new Agents(Arrays.asList(ids));
    }

    /** Addresses every agent that holds {@code role}. */
    static Receivers role(String role) {
        return new Role(role);
    }

    /** Addresses every agent in the conversation. */
    static Receivers everyone() {
        return new Everyone();
    }

    /** One or more agents by id, in the order given; {@link Message#COORDINATOR} addresses the mechanism. */
    record Agents(List<String> ids) implements Receivers {
        public Agents {
            ids = Checks.list(ids, "receiver ids");
            if (ids.isEmpty()) {
                throw new IllegalArgumentException("receiver ids must name at least one agent");
            }
            for (String id : ids) {
                if (!Message.COORDINATOR.equals(id)) {
                    Checks.name(id, "Receiver id");
                }
            }
        }
    }

    /** Every agent whose role is {@code role}. */
    record Role(String role) implements Receivers {
        public Role {
            Checks.name(role, "Receiver role");
        }
    }

    /** Every agent in the conversation. */
    record Everyone() implements Receivers {}
}
