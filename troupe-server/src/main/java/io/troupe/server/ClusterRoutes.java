package io.troupe.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.troupe.runtime.ClusterStatus;
import io.troupe.runtime.TroupeNode;
import java.time.Duration;

/**
 * {@code GET /api/cluster}: the cluster as this node sees it: its members, their state, whether this node reaches
 * them, and the conversations each holds. What {@code troupe cluster status} prints.
 */
final class ClusterRoutes {
    private static final Duration ASK = Duration.ofSeconds(5);

    private final TroupeNode node;

    ClusterRoutes(TroupeNode node) {
        this.node = node;
    }

    void status(Context ctx) {
        ClusterStatus status = Waits.await(node.clusterStatus(ASK), ASK.plusSeconds(5), "reading the cluster's state");
        ctx.json(json(status));
    }

    static ObjectNode json(ClusterStatus status) {
        ObjectNode json = Json.object();
        json.put("self", status.self());
        json.put("leader", status.leader());
        json.put("conversations", status.conversations());
        ArrayNode members = json.putArray("members");
        for (ClusterStatus.Member member : status.members()) {
            ObjectNode entry = members.addObject();
            entry.put("address", member.address());
            entry.put("status", member.status());
            entry.put("reachable", member.reachable());
            entry.put("self", member.address().equals(status.self()));
            entry.put("leader", member.address().equals(status.leader()));
            entry.put("shards", member.shards());
            entry.put("conversations", member.conversations());
            ArrayNode roles = entry.putArray("roles");
            member.roles().stream().sorted().forEach(roles::add);
        }
        json.put("problem", status.problem());
        return json;
    }
}
