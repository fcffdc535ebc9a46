package io.troupe.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.function.BooleanSupplier;

/**
 * The server's own routes: the REST API under {@code /api} (runs, their events and streams, a run's state,
 * explanation and diff, approvals, specs and the cluster), the web console, Prometheus {@code /metrics}, the health
 * probes and {@code /openapi.json}. {@code GET /} is the console for a browser and, for other clients, an index of the
 * API. The routes of A2A, of the OpenAI API and of extensions are registered beside these.
 */
final class ApiRoutes {
    private final MeteredNode node;
    private final RunRoutes runs;
    private final RunStream stream;
    private final ApprovalRoutes approvals;
    private final HealthRoutes health;
    private final ClusterRoutes cluster;
    private final SpecRoutes specs;
    private final ConsoleAssets console;
    private final InsightRoutes insight;

    /**
     * @param resumer says which runs wait to be resumed, and why, in what the API shows of runs
     * @param stopping whether the server is stopping: it is no longer ready, and its streams end
     * @param auth opened to the console's files
     */
    ApiRoutes(
            MeteredNode node,
            Specs specs,
            SpecShelf shelf,
            ServerGuards guards,
            ServerLimits limits,
            Resumer resumer,
            BooleanSupplier stopping,
            BearerAuth auth) {
        this.node = node;
        this.runs = new RunRoutes(node, specs, shelf, guards, limits, resumer);
        this.stream = new RunStream(node, runs, guards::withholdsTokens, stopping);
        this.approvals = new ApprovalRoutes(node, limits);
        this.health = new HealthRoutes(node, stopping);
        this.cluster = new ClusterRoutes(node);
        this.specs = new SpecRoutes(specs);
        this.console = new ConsoleAssets();
        this.insight = new InsightRoutes(runs);
        auth.open(ConsoleAssets.PREFIX + "/");
    }

    /** Adds the routes, and describes the console's in the OpenAPI document (which describes the others already). */
    void register(JavalinConfig config, OpenApi openApi) {
        openApi.addAll("console-openapi.json");
        config.routes.get("/", ctx -> {
            if (ConsoleAssets.wantsPage(ctx)) {
                console.index(ctx);
            } else {
                index(ctx);
            }
        });
        config.routes.get(ConsoleAssets.PREFIX + "/*", console::file);
        config.routes.get("/api/runs/{id}/state", insight::state);
        config.routes.get("/api/runs/{id}/explain", insight::explain);
        config.routes.get("/api/runs/{id}/diff", insight::diff);
        config.routes.get("/metrics", node::scrape);
        config.routes.post("/api/runs", runs::start);
        config.routes.get("/api/runs", runs::list);
        config.routes.get("/api/runs/{id}", runs::get);
        config.routes.post("/api/runs/{id}/cancel", runs::cancel);
        config.routes.get("/api/runs/{id}/events", runs::events);
        config.routes.get("/api/runs/{id}/stream", stream::handle);
        config.routes.get("/api/approvals", approvals::list);
        config.routes.post("/api/approvals/{id}/approve", ctx -> approvals.decide(ctx, true));
        config.routes.post("/api/approvals/{id}/deny", ctx -> approvals.decide(ctx, false));
        config.routes.get("/api/specs", specs::list);
        config.routes.get("/api/cluster", cluster::status);
        config.routes.get("/health/live", health::live);
        config.routes.get("/health/ready", health::ready);
        config.routes.get("/openapi.json", openApi::serve);
    }

    private static void index(Context ctx) {
        ObjectNode json = Json.object();
        String base = RunRoutes.base(ctx);
        json.put("name", "troupe");
        json.put("runs", base + "/api/runs");
        json.put("approvals", base + "/api/approvals");
        json.put("specs", base + "/api/specs");
        json.put("cluster", base + "/api/cluster");
        json.put("openapi", base + "/openapi.json");
        json.put("ready", base + "/health/ready");
        ctx.json(json);
    }
}
