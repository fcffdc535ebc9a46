package io.troupe.runtime;

import io.troupe.api.Checks;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A cluster as one node sees it, as {@link TroupeNode#clusterStatus} reads it: its members, their state, and the
 * conversations each holds. What {@code troupe cluster status} shows.
 *
 * @param self this node's cluster address
 * @param leader the address of the member that leads membership changes, or null while there is none
 * @param members every member this node knows of, oldest first
 * @param problem why the conversations per member are unknown (a member did not answer in time), or null
 */
public record ClusterStatus(
        String self,
        @Nullable String leader,
        List<Member> members,
        @Nullable String problem) {

    public ClusterStatus {
        Checks.notBlank(self, "ClusterStatus self");
        members = Checks.list(members, "ClusterStatus members");
    }

    /** The conversations held by all members, or -1 when some member's count is unknown. */
    public int conversations() {
        int total = 0;
        for (Member member : members) {
            if (member.conversations() < 0) {
                return -1;
            }
            total += member.conversations();
        }
        return total;
    }

    /**
     * One member.
     *
     * @param address its cluster address
     * @param status its membership status: {@code joining}, {@code weakly-up}, {@code up}, {@code leaving}, {@code
     *     exiting}, {@code down} or {@code removed}
     * @param roles its roles
     * @param reachable whether the node that reads the status can reach it
     * @param shards how many shards of conversations it hosts, or -1 when unknown
     * @param conversations how many conversations it holds in memory (running, or finished and not yet passivated),
     *     or -1 when unknown
     */
    public record Member(
            String address, String status, Set<String> roles, boolean reachable, int shards, int conversations) {
        public Member {
            Checks.notBlank(address, "Member address");
            Checks.notBlank(status, "Member status");
            roles = Set.copyOf(Checks.notNull(roles, "Member roles"));
        }
    }
}
