package io.troupe.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.troupe.api.ConfigurationException;
import io.troupe.api.run.RunHandle;
import io.troupe.interop.a2a.A2a;
import io.troupe.interop.a2a.A2aEndpoint;
import io.troupe.interop.a2a.A2aRefusals;
import io.troupe.interop.a2a.A2aService;
import io.troupe.interop.a2a.AgentCards;
import io.troupe.runtime.TroupeNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Every spec of the server's spec folder as an A2A 1.0 agent: JSON-RPC at {@code /a2a/{spec}}, its card at {@code
 * /a2a/{spec}/.well-known/agent-card.json}, and {@code GET /a2a} listing them. With a single spec, its card is also the
 * server's {@code /.well-known/agent-card.json}. Runs are started like the API's (the spec's models and tools stocked
 * first, the spec kept in the run's metadata so that any node resumes it); cards are public, the rest needs the
 * server's token, which the cards declare.
 */
final class A2aRoutes implements AutoCloseable {
    /** Where the agents are. */
    static final String PREFIX = "/a2a";

    private final Map<String, A2aEndpoint> agents = new LinkedHashMap<>();

    A2aRoutes(TroupeNode node, Specs specs, SpecShelf shelf, ServerGuards guards, BearerAuth auth) {
        for (Map.Entry<String, LoadedSpec> entry : specs.folder().specs().entrySet()) {
            String name = entry.getKey();
            LoadedSpec spec = entry.getValue();
            if (!io.troupe.api.Checks.isName(name)) {
                continue; // not a name A2A paths and run metadata can carry; the REST API still runs it
            }
            A2aService service = A2aService.start(
                    node,
                    spec.scenario().team(),
                    (team, task, metadata) -> launch(node, shelf, guards, spec, team, task, metadata),
                    A2aService.Settings.forTeam(spec.scenario().team()).withAgentName(name));
            A2aEndpoint endpoint = new A2aEndpoint(
                    service,
                    url -> AgentCards.of(
                            name,
                            spec.scenario().team(),
                            url,
                            tool -> shelf.tool(tool).map(t -> t.definition().description()),
                            auth.enabled(),
                            spec.sha256().substring(0, 12)),
                    null);
            agents.put(name, endpoint);
            auth.open(A2aEndpoint.cardPath(PREFIX + "/" + name));
        }
        if (agents.size() == 1) {
            auth.open(A2a.CARD_PATH);
        }
    }

    private static RunHandle launch(
            TroupeNode node,
            SpecShelf shelf,
            ServerGuards guards,
            LoadedSpec spec,
            io.troupe.api.team.TeamSpec team,
            String task,
            Map<String, String> metadata) {
        io.troupe.api.team.TeamSpec guarded;
        try {
            shelf.stock(spec);
            // The spec's guardrails, as for the runs of the REST API: the team lists its guard's interceptors.
            io.troupe.api.team.TeamSpec withGuard = guards.team(spec);
            guarded = team.equals(spec.scenario().team())
                    ? withGuard
                    : team.withInterceptors(withGuard
                            .interceptors()
                            .subList(
                                    spec.scenario().team().interceptors().size(),
                                    withGuard.interceptors().size()));
        } catch (ApiException e) {
            throw new ConfigurationException(e.getMessage());
        }
        Map<String, String> all = new LinkedHashMap<>(metadata);
        all.putAll(Specs.metadata(spec));
        return node.submit(guarded, task, all);
    }

    /** Adds the routes and describes them in the OpenAPI document. */
    void register(JavalinConfig config, OpenApi openApi) {
        agents.forEach((name, endpoint) -> endpoint.register(config.routes, PREFIX + "/" + name, null));
        config.routes.get(PREFIX, this::list);
        config.routes.get(A2a.CARD_PATH, this::rootCard);
        openApi.add(
                PREFIX,
                Json.MAPPER.valueToTree(Map.of(
                        "get",
                        Map.of(
                                "summary",
                                "The specs served as A2A 1.0 agents, with their cards",
                                "responses",
                                Map.of("200", Map.of("description", "The agents"))))));
        openApi.add(
                PREFIX + "/{agent}",
                Json.MAPPER.valueToTree(Map.of(
                        "post",
                        Map.of(
                                "summary",
                                "A2A 1.0 JSON-RPC (SendMessage, SendStreamingMessage, GetTask, ListTasks, CancelTask,"
                                        + " SubscribeToTask); send A2A-Version: 1.0",
                                "responses",
                                Map.of(
                                        "200",
                                        Map.of("description", "A JSON-RPC response, or server-sent events"),
                                        "204",
                                        Map.of("description", "A notification (a request without id): never answered"),
                                        "413",
                                        Map.of(
                                                "description",
                                                "A JSON-RPC error (id null): the body is over the server's limit"))))));
        openApi.add(
                PREFIX + "/{agent}" + A2a.CARD_PATH,
                Json.MAPPER.valueToTree(Map.of(
                        "get",
                        Map.of(
                                "summary",
                                "The agent's A2A Agent Card (public)",
                                "responses",
                                Map.of("200", Map.of("description", "The card"))))));
        openApi.add(
                A2a.CARD_PATH,
                Json.MAPPER.valueToTree(Map.of(
                        "get",
                        Map.of(
                                "summary",
                                "The Agent Card of the server's only spec (public)",
                                "responses",
                                Map.of(
                                        "200", Map.of("description", "The card"),
                                        "404", Map.of("description", "The server has no spec, or several"))))));
    }

    private void list(Context ctx) {
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("agents");
        String base = RunRoutes.base(ctx);
        agents.keySet()
                .forEach(name -> list.addObject()
                        .put("name", name)
                        .put("url", base + PREFIX + "/" + name)
                        .put("card", base + A2aEndpoint.cardPath(PREFIX + "/" + name)));
        ctx.json(json);
    }

    private void rootCard(Context ctx) {
        if (agents.size() != 1) {
            throw ApiException.notFound(
                    "agent_not_found",
                    agents.isEmpty()
                            ? "This server serves no A2A agent: start it with --spec-dir DIR, whose specs become agents"
                            : "This server serves several A2A agents, each with its own card: "
                                    + List.copyOf(agents.keySet()).stream()
                                            .map(name -> A2aEndpoint.cardPath(PREFIX + "/" + name))
                                            .toList()
                                    + " (GET /a2a lists them)");
        }
        String name = agents.keySet().iterator().next();
        agents.get(name).card(ctx, PREFIX + "/" + name, null);
    }

    /**
     * Answers a request refused under {@code /a2a} (by Javalin: no agent at its path, another method; or by the server:
     * no token) with a JSON-RPC error, id null, which A2A clients read; false for a request elsewhere, which the
     * server answers in its own shape.
     */
    boolean refuse(Context ctx, int status, String message) {
        String path = ctx.path();
        if (!serves(path)) {
            return false;
        }
        if (status == 405) {
            boolean agent = agents.keySet().stream().anyMatch(name -> path.equals(PREFIX + "/" + name));
            A2aRefusals.refuseMethod(ctx, agent, path.equals(PREFIX) ? ", which lists the agents: GET it" : ": GET it");
            return true;
        }
        String said = message;
        if (status == 404) {
            said = "There is no A2A agent at " + path + "; "
                    + (agents.isEmpty()
                            ? "this server serves none (start it with --spec-dir DIR, whose specs become agents)"
                            : "this server's agents are at "
                                    + String.join(
                                            ", ",
                                            agents.keySet().stream()
                                                    .map(name -> PREFIX + "/" + name)
                                                    .toList())
                                    + " (GET /a2a lists them with their cards)");
        }
        A2aRefusals.refuse(ctx, status, said);
        return true;
    }

    /** Whether {@code path} is under {@code /a2a}. */
    static boolean serves(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    /** The agent named {@code name}, for tests. */
    @Nullable
    A2aEndpoint agent(String name) {
        return agents.get(name);
    }

    @Override
    public void close() {
        agents.values().forEach(endpoint -> endpoint.service().close());
    }
}
