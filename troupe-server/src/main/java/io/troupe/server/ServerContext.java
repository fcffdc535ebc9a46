package io.troupe.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.troupe.api.Checks;
import io.troupe.runtime.TroupeNode;
import java.util.List;

/**
 * What a {@link ServerExtension} gets: the node that runs teams, Javalin's configuration to add routes to, and the
 * server's OpenAPI document and authentication to take part in. Valid only during {@link ServerExtension#extend}.
 */
public final class ServerContext {
    private final TroupeNode node;
    private final JavalinConfig javalin;
    private final OpenApi openApi;
    private final BearerAuth auth;

    ServerContext(TroupeNode node, JavalinConfig javalin, OpenApi openApi, BearerAuth auth) {
        this.node = node;
        this.javalin = javalin;
        this.openApi = openApi;
        this.auth = auth;
    }

    /** The node: start, follow, cancel and list runs, decide approvals, read its health. */
    public TroupeNode node() {
        return node;
    }

    /** Where to add routes ({@code get}, {@code post}, {@code sse}, {@code ws}, ...). */
    public RoutesConfig routes() {
        return javalin.routes;
    }

    /**
     * The whole Javalin configuration, for what {@link #routes()} does not reach (static files for a console, for
     * example). Handle with care: a {@code before} handler or exception handler here affects every route.
     */
    public JavalinConfig javalin() {
        return javalin;
    }

    /**
     * Describes a path in the server's OpenAPI document ({@code GET /openapi.json}).
     *
     * @param path the path, such as {@code /metrics} or {@code /a2a/{agent}}
     * @param pathItem an OpenAPI 3.1 Path Item object in JSON, such as {@code {"get": {"summary": ...}}}
     * @throws IllegalArgumentException if {@code pathItem} is not a JSON object, or the path is described already
     */
    public void describe(String path, String pathItem) {
        JsonNode item;
        try {
            item = Json.MAPPER.readTree(pathItem);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the path item of " + path + " is not JSON: " + e.getOriginalMessage());
        }
        if (!(item instanceof ObjectNode object)) {
            throw new IllegalArgumentException("the path item of " + path + " must be a JSON object");
        }
        openApi.add(Checks.notBlank(path, "path"), object);
    }

    /**
     * Lets requests under {@code pathPrefix} through without a token, for what must load before a person can give
     * one (a console's page and assets). Everything else, extensions' routes included, needs the token when the
     * server has one.
     */
    public void allowWithoutToken(String pathPrefix) {
        if (!pathPrefix.startsWith("/") || pathPrefix.equals("/") || pathPrefix.startsWith("/api")) {
            throw new IllegalArgumentException("a path open without a token must start with '/', must not be '/'"
                    + " and must not be under /api, got '" + pathPrefix + "'");
        }
        auth.open(pathPrefix);
    }

    /** The paths that need no token. */
    List<String> openPaths() {
        return auth.openPaths();
    }
}
