package io.troupe.server;

/**
 * Adds routes to a Troupe server: the seam for the web console, A2A, MCP, OpenAI-compatible serving and metrics.
 * The server calls {@link #extend} once, before it starts, after its own routes are in place.
 *
 * <p>Extensions' routes pass the server's bearer-token check like the server's own (unless {@link
 * ServerContext#allowWithoutToken} opens a path), throw {@link ApiException} for JSON errors in the server's shape,
 * and describe themselves in the OpenAPI document through {@link ServerContext#describe}. The command line finds
 * extensions on its class path through {@link java.util.ServiceLoader}; in Java, pass them to {@link
 * TroupeServer.Builder#extension}.
 *
 * <pre>{@code
 * public final class MetricsExtension implements ServerExtension {
 *     public void extend(ServerContext context) {
 *         context.routes().get("/metrics", ctx -> ctx.result(scrape(context.node())));
 *         context.describe("/metrics", "{\"get\": {\"summary\": \"Prometheus metrics\", ...}}");
 *     }
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ServerExtension {
    /** Adds this extension's routes to {@code context}. */
    void extend(ServerContext context);
}
