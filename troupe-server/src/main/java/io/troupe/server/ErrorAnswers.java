package io.troupe.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.troupe.api.run.OverloadedException;
import io.troupe.interop.a2a.A2aRefusals;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the server answers what it refuses or fails at: its handlers' {@link ApiException}s (its token's refusals
 * included), Javalin's own refusals (no route, another method), unexpected failures and, through Jetty's error handler
 * ({@link io.troupe.interop.internal.JsonErrorHandler}, given {@link #jettyBody}), what Jetty refuses before Javalin
 * sees it (a URL or headers too long, a bad header). Each is answered in the shape of the protocol its path speaks,
 * which its clients read: the OpenAI API's under {@code /v1}, a JSON-RPC error (id null) under {@code /a2a}, and
 * elsewhere the API's JSON error {@code {"error": {"status", "code", "message"}}}.
 */
final class ErrorAnswers {
    /** TroupeServer's: the name operators know the server's failures by. */
    private static final Logger LOG = LoggerFactory.getLogger(TroupeServer.class);

    /** The Retry-After of an overloaded node's refusal. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final @Nullable OpenAiRoutes openAi;
    private final @Nullable A2aRoutes a2a;

    /** For a server that serves {@code /v1} and {@code /a2a}, or not (null). */
    ErrorAnswers(@Nullable OpenAiRoutes openAi, @Nullable A2aRoutes a2a) {
        this.openAi = openAi;
        this.a2a = a2a;
    }

    /** Installs the exception handlers. */
    void install(JavalinConfig config) {
        config.routes.exception(
                ApiException.class, (e, ctx) -> answer(ctx, e.status(), e.code(), e.getMessage(), e.getMessage()));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            String message = switch (status) {
                case 404 -> "There is no " + ctx.method() + " " + ctx.path() + "; GET /openapi.json describes the API";
                case 405 -> ctx.method() + " is not allowed on " + ctx.path() + "; GET /openapi.json describes the API";
                default -> String.valueOf(e.getMessage());
            };
            // The protocols under /v1 and /a2a say it in their own words: Javalin's, for them to reword.
            answer(ctx, status, code(status), message, String.valueOf(e.getMessage()));
        });
        // A node at its limit of runs refuses new ones: the client's to retry, not the server's failure.
        config.routes.exception(OverloadedException.class, (e, ctx) -> {
            ctx.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
            String message = e.getMessage() + " (Retry-After: " + RETRY_AFTER_SECONDS + " s; troupe serve takes"
                    + " --max-runs-in-flight, --max-queued-runs and --max-queue-wait)";
            answer(ctx, 503, "overloaded", message, message);
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            String message = "The server failed: " + e.getClass().getSimpleName() + "; its log has the details";
            answer(ctx, 500, "internal_error", message, message);
        });
    }

    /**
     * Answers {@code ctx} in the shape of its path's protocol.
     *
     * @param message the API's message
     * @param plain what happened, for a protocol that words it itself
     */
    private void answer(Context ctx, int status, String code, String message, String plain) {
        if (openAi != null && openAi.refuse(ctx, status, code, plain)) {
            return;
        }
        if (a2a != null && a2a.refuse(ctx, status, plain)) {
            return;
        }
        ctx.status(status).contentType("application/json").result(Json.write(body(status, code, message)));
    }

    /**
     * The body of Jetty's refusal of a request to {@code path} (null when Jetty could not read the request line), in
     * the shape of the path's protocol. A request whose path is unknown, such as one whose URI is too long, could be
     * any protocol's: its error has the API's fields and the OpenAI API's together, which clients of either read (a
     * JSON-RPC client still sees the status). The API's codes: {@code uri_too_long}, {@code headers_too_large}, {@code
     * body_too_large}, {@code bad_request} and, for other statuses, {@code http_error}.
     */
    String jettyBody(@Nullable String path, int status, String message) {
        String code = code(status);
        if (path == null) {
            ObjectNode both = body(status, code, message);
            ((ObjectNode) both.path("error"))
                    .put("type", status >= 500 ? "server_error" : "invalid_request_error")
                    .putNull("param");
            return Json.write(both);
        }
        if (openAi != null && OpenAiRoutes.serves(path)) {
            return OpenAiRoutes.errorBody(status, code, message);
        }
        if (a2a != null && A2aRoutes.serves(path)) {
            return A2aRefusals.refusal(status, message);
        }
        return Json.write(body(status, code, message));
    }

    /** The API's error: {@code {"error": {"status", "code", "message"}}}. */
    static ObjectNode body(int status, String code, String message) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("status", status);
        error.put("code", code);
        error.put("message", message);
        return body;
    }

    /** The API's code for a refusal that only has a status: Javalin's or Jetty's. */
    static String code(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "body_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            case 500 -> "internal_error";
            default -> "http_error";
        };
    }
}
