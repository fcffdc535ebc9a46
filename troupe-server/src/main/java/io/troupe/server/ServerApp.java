package io.troupe.server;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import io.troupe.interop.internal.JsonErrorHandler;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP side of a {@link TroupeServer}: the Javalin app on Jetty, and what it serves. Jetty is told where to listen,
 * to run requests on virtual threads, how large a body may be and to refuse what it refuses as JSON; Javalin checks the
 * bearer token before every route, then serves the API, the specs as A2A agents, the OpenAI API and the extensions'
 * routes, and answers its refusals and failures in the shape of each path's protocol ({@link ErrorAnswers}). It is
 * kept apart from the node's side ({@link ServerNode}), which it serves but does not own: the server stops it first,
 * ending its streams, so that no request reaches a node that is closing.
 */
final class ServerApp implements AutoCloseable {
    private final Javalin app;
    private final OpenApi openApi;
    private final @Nullable A2aRoutes a2a;

    private ServerApp(Javalin app, OpenApi openApi, @Nullable A2aRoutes a2a) {
        this.app = app;
        this.openApi = openApi;
        this.a2a = a2a;
    }

    /**
     * Makes the routes and starts listening on {@code host}:{@code port}.
     *
     * @param stopping whether the server is stopping, which the readiness probe reports
     * @param token the bearer token requests need, or null for none
     * @param a2a whether the spec folder's specs are served as A2A agents
     * @param openAi the OpenAI API's routes, or null when it is not served
     * @throws io.troupe.api.ConfigurationException if the server cannot listen there (the port is taken, say)
     */
    static ServerApp start(
            ServerNode parts,
            BooleanSupplier stopping,
            String host,
            int port,
            @Nullable String token,
            ServerLimits limits,
            boolean a2a,
            @Nullable OpenAiRoutes openAi,
            List<ServerExtension> extensions) {
        MeteredNode node = parts.node();
        Specs specs = parts.specs();
        SpecShelf shelf = parts.shelf();
        ServerGuards guards = parts.guards();
        // Without a token, a server on loopback answers only loopback names and origins (see BearerAuth); one that
        // may serve a private network without a token (--allow-unauthenticated) answers every name there.
        BearerAuth auth = new BearerAuth(token, token == null && Binding.reach(host) == Binding.Reach.LOOPBACK);
        OpenApi openApi = new OpenApi();
        ApiRoutes api = new ApiRoutes(node, specs, shelf, guards, limits, parts.resumer(), stopping, auth);
        A2aRoutes a2aRoutes = a2a ? new A2aRoutes(node, specs, shelf, guards, auth) : null;
        try {
            ErrorAnswers errors = new ErrorAnswers(openAi, a2aRoutes);
            Javalin app = Javalin.create(config -> {
                configure(config, host, port, limits, errors);
                config.routes.before(auth);
                config.routes.before(ServerApp::requireWellFormedQuery);
                api.register(config, openApi);
                errors.install(config);
                if (a2aRoutes != null) {
                    a2aRoutes.register(config, openApi);
                }
                if (openAi != null) {
                    openAi.register(config, openApi);
                }
                ServerContext context = new ServerContext(node, config, openApi, auth);
                for (ServerExtension extension : extensions) {
                    extension.extend(context);
                }
            });
            try {
                Binding.listen(app, host, port);
            } catch (RuntimeException e) {
                app.stop(); // what started of Jetty before the failure
                throw e;
            }
            return new ServerApp(app, openApi, a2aRoutes);
        } catch (RuntimeException e) {
            if (a2aRoutes != null) {
                a2aRoutes.close(); // the agents' services, which follow their tasks' runs
            }
            throw e;
        }
    }

    private static final java.util.regex.Pattern BAD_ESCAPE = java.util.regex.Pattern.compile("%(?![0-9A-Fa-f]{2})");

    /**
     * Refuses a query string with a malformed percent escape ({@code ?status=%%%}): the HTTP server drops such a
     * parameter, so the request would be answered as if it had not been given (an unfiltered list, say).
     */
    private static void requireWellFormedQuery(io.javalin.http.Context ctx) {
        String query = ctx.queryString();
        if (query == null) {
            return;
        }
        java.util.regex.Matcher bad = BAD_ESCAPE.matcher(query);
        if (bad.find()) {
            String near = query.substring(bad.start(), Math.min(query.length(), bad.start() + 3));
            throw ApiException.badRequest(
                    "invalid_parameter",
                    "The query string has a malformed percent escape ('" + near + "' at character " + (bad.start() + 1)
                            + "): write %XX with two hexadecimal digits, and %25 for a '%' itself");
        }
    }

    private static void configure(
            JavalinConfig config, String host, int port, ServerLimits limits, ErrorAnswers errors) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jetty.host = host;
        config.jetty.port = port;
        config.concurrency.useVirtualThreads = true;
        config.http.prefer405over404 = true;
        config.http.maxRequestSize = limits.maxBodyBytes();
        config.jsonMapper(new JavalinJackson(Json.MAPPER, true));
        config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler(errors::jettyBody)));
    }

    /** The port the app listens on. */
    int port() {
        return app.port();
    }

    /** The OpenAPI document of the routes. */
    OpenApi openApi() {
        return openApi;
    }

    /** Ends the A2A streams, so that the server stops at once, then stops listening. */
    @Override
    public void close() {
        if (a2a != null) {
            a2a.close();
        }
        app.stop();
    }
}
