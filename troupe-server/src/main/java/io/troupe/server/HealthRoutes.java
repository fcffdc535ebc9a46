package io.troupe.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.troupe.runtime.NodeHealth;
import io.troupe.runtime.TroupeNode;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * {@code /health/live} and {@code /health/ready}, from the node's real state: liveness is the node running;
 * readiness adds being an {@code up} member of its cluster, the journal answering a read, and the server not
 * stopping. Both answer 200 or 503 with the details, and need no token, so that probes can read them.
 */
final class HealthRoutes {
    private static final Duration PROBE = Duration.ofSeconds(5);

    private final TroupeNode node;
    private final BooleanSupplier stopping;

    HealthRoutes(TroupeNode node, BooleanSupplier stopping) {
        this.node = node;
        this.stopping = stopping;
    }

    void live(Context ctx) {
        NodeHealth health = node.health(PROBE);
        ObjectNode json = Json.object();
        json.put("status", health.live() ? "live" : "dead");
        json.put("node", health.address());
        ctx.status(health.live() ? 200 : 503).json(json);
    }

    void ready(Context ctx) {
        NodeHealth health = node.health(PROBE);
        boolean ready = health.ready() && !stopping.getAsBoolean();
        ObjectNode json = Json.object();
        json.put("status", ready ? "ready" : "not ready");
        json.put("node", health.address());
        json.put("member", health.status());
        ObjectNode journal = json.putObject("journal");
        journal.put("reachable", health.journalProblem() == null);
        journal.put("problem", health.journalProblem());
        journal.put("latencyMs", health.journalLatency().toMillis());
        ArrayNode members = json.putArray("members");
        for (NodeHealth.Member member : health.members()) {
            ObjectNode entry = members.addObject();
            entry.put("address", member.address());
            entry.put("status", member.status());
            entry.put("reachable", member.reachable());
        }
        if (stopping.getAsBoolean()) {
            json.put("problem", "the server is stopping");
        }
        ctx.status(ready ? 200 : 503).json(json);
    }
}
