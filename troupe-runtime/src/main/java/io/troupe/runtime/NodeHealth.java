package io.troupe.runtime;

import io.troupe.api.Checks;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A node's health, as {@link TroupeNode#health} reads it: for readiness and liveness probes, and for operators.
 *
 * @param address this node's cluster address
 * @param status this node's membership status: {@code joining}, {@code weakly-up}, {@code up}, {@code leaving},
 *     {@code exiting}, {@code down} or {@code removed}
 * @param members the cluster's members as this node sees them, itself included
 * @param journalProblem why the journal did not answer, or null if it did
 * @param journalLatency how long the journal took to answer (or how long it was waited for)
 * @param terminated whether the node has stopped (its actor system terminated)
 */
public record NodeHealth(
        String address,
        String status,
        List<Member> members,
        @Nullable String journalProblem,
        Duration journalLatency,
        boolean terminated) {

    public NodeHealth {
        Checks.notBlank(address, "NodeHealth address");
        Checks.notBlank(status, "NodeHealth status");
        members = Checks.list(members, "NodeHealth members");
        Checks.notNull(journalLatency, "NodeHealth journalLatency");
    }

    /** Whether the node is alive: it has not stopped. A node that is not alive should be restarted. */
    public boolean live() {
        return !terminated;
    }

    /** Whether the node can take work: alive, an {@code up} member of its cluster, and its journal answers. */
    public boolean ready() {
        return live() && status.equals("up") && journalProblem == null;
    }

    /** How many members this node cannot reach. */
    public long unreachable() {
        return members.stream().filter(member -> !member.reachable()).count();
    }

    /**
     * One member of the cluster.
     *
     * @param address its cluster address
     * @param status its membership status, as {@link NodeHealth#status()}
     * @param roles its roles
     * @param reachable whether this node can reach it
     */
    public record Member(String address, String status, Set<String> roles, boolean reachable) {
        public Member {
            Checks.notBlank(address, "Member address");
            Checks.notBlank(status, "Member status");
            roles = Set.copyOf(Checks.notNull(roles, "Member roles"));
        }
    }
}
