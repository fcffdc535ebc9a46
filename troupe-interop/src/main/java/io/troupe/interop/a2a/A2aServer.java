package io.troupe.interop.a2a;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.troupe.api.ConfigurationException;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.Tool;
import io.troupe.interop.internal.JsonErrorHandler;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A team served on its own as an A2A 1.0 agent: JSON-RPC at {@code /a2a}, the Agent Card at {@code
 * /.well-known/agent-card.json} (and at {@code /a2a/.well-known/agent-card.json}). For a Troupe server with its other
 * routes, mount {@link A2aEndpoint} instead ({@code troupe serve} does).
 *
 * <pre>{@code
 * try (A2aServer server = A2aServer.start(troupe, team, tools, A2aServer.Options.loopback(0))) {
 *     URI card = server.cardUri();
 * }
 * }</pre>
 *
 * <p>Everything the server refuses or fails at is answered with a JSON-RPC error, id null, which A2A clients read:
 * Jetty's refusals (a URI or headers too long), Javalin's (another path, another method, with {@code Allow}) and
 * unexpected failures, as the endpoint answers a request without its token or with a body over the limit.
 *
 * <p>The runtime must have {@link PerformativeMechanism} registered. Closing ends the open streams and stops
 * listening; the runs and the runtime are left to their owner. Thread-safe.
 */
public final class A2aServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(A2aServer.class);

    /** The agent's JSON-RPC path. */
    public static final String PATH = "/a2a";

    /**
     * Where and how to listen.
     *
     * @param host the address; beyond loopback a token is required
     * @param port the port, 0 for any free one
     * @param token the bearer token clients must send, or null for none (loopback only)
     * @param publicUrl the address clients reach the server at, for the card (behind a proxy), or null to take the
     *     request's Host
     */
    public record Options(
            String host,
            int port,
            @Nullable String token,
            @Nullable String publicUrl) {
        public Options {
            if (port < 0 || port > 65535) {
                throw new ConfigurationException("The port must be from 0 to 65535, got " + port);
            }
            if (token != null && token.length() < 16) {
                throw new ConfigurationException("An A2A token must have at least 16 characters (it has "
                        + token.length() + "); make one with: openssl rand -hex 32");
            }
        }

        /** 127.0.0.1 on {@code port}, without a token. */
        public static Options loopback(int port) {
            return new Options("127.0.0.1", port, null, null);
        }

        public Options withToken(@Nullable String token) {
            return new Options(host, port, token, publicUrl);
        }
    }

    private final Javalin app;
    private final A2aService service;
    private final String host;

    private A2aServer(Javalin app, A2aService service, String host) {
        this.app = app;
        this.service = service;
        this.host = host;
    }

    /**
     * Serves {@code team}, whose tools the card describes from {@code tools}.
     *
     * @throws ConfigurationException if the address is not loopback and there is no token, or the port is taken
     */
    public static A2aServer start(
            Troupe troupe, TeamSpec team, List<Tool> tools, A2aService.Settings settings, Options options) {
        if (options.token() == null && !loopback(options.host())) {
            throw new ConfigurationException("An A2A agent on " + options.host() + " would be open to anyone who can"
                    + " reach it: give it a token (--token-file FILE, or TROUPE_A2A_TOKEN), or listen on 127.0.0.1");
        }
        A2aService service = A2aService.start(troupe, team, settings);
        String version = Integer.toHexString(team.hashCode());
        A2aEndpoint endpoint = new A2aEndpoint(
                service,
                url -> AgentCards.of(
                        settings.agentName(),
                        team,
                        url,
                        name -> describe(tools, name),
                        options.token() != null,
                        version),
                options.token());
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.jetty.host = options.host();
            config.jetty.port = options.port();
            config.http.maxRequestSize = 4L * 1024 * 1024;
            config.http.prefer405over404 = true;
            refusals(config);
            endpoint.register(config.routes, PATH, options.publicUrl());
            config.routes.get(A2a.CARD_PATH, ctx -> endpoint.card(ctx, PATH, options.publicUrl()));
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            service.close();
            throw new ConfigurationException("Cannot listen on " + options.host() + ":" + options.port() + ": "
                    + e.getMessage() + ". Choose another port with --port, or stop what uses it");
        }
        return new A2aServer(app, service, options.host());
    }

    /** Answers what Jetty and Javalin refuse, and unexpected failures, with JSON-RPC errors (see the class comment). */
    private static void refusals(JavalinConfig config) {
        config.jetty.modifyServer(server -> server.setErrorHandler(
                new JsonErrorHandler((path, status, message) -> A2aRefusals.refusal(status, message))));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> refuse(ctx, e));
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            A2aRefusals.refuse(
                    ctx, 500, "the agent failed: " + e.getClass().getSimpleName() + "; its log has the details");
        });
    }

    /** Javalin's refusal of a path the server does not serve, or of another method, in the server's words. */
    private static void refuse(Context ctx, HttpResponseException e) {
        switch (e.getStatus()) {
            case 404 ->
                A2aRefusals.refuse(
                        ctx,
                        404,
                        "There is no A2A agent at " + ctx.path() + "; this server's agent is at " + PATH
                                + ", its card at " + A2a.CARD_PATH);
            case 405 -> A2aRefusals.refuseMethod(ctx, ctx.path().equals(PATH), ": GET it");
            default -> A2aRefusals.refuse(ctx, e.getStatus(), String.valueOf(e.getMessage()));
        }
    }

    private static Optional<String> describe(List<Tool> tools, String name) {
        return tools.stream()
                .filter(tool -> tool.name().equals(name))
                .findFirst()
                .map(tool -> tool.definition().description());
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public int port() {
        return app.port();
    }

    /** The server's base address, such as {@code http://127.0.0.1:8081}. */
    public URI uri() {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return URI.create("http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + port());
    }

    /** The agent's card, for a client's {@code url}. */
    public URI cardUri() {
        return URI.create(uri() + A2a.CARD_PATH);
    }

    public A2aService service() {
        return service;
    }

    @Override
    public void close() {
        try {
            service.close();
        } finally {
            app.stop();
        }
    }
}
