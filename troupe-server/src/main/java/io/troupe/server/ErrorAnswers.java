package io.troupe.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the server answers what it refuses or fails at: its handlers' {@link ApiException}s, Javalin's own refusals (no
 * route, another method) and unexpected failures, as the API's JSON error {@code {"error": {"status", "code",
 * "message"}}}; under the OpenAI-compatible {@code /v1}, in the OpenAI API's shape, which its clients read.
 */
final class ErrorAnswers {
    /** TroupeServer's: the name operators know the server's failures by. */
    private static final Logger LOG = LoggerFactory.getLogger(TroupeServer.class);

    private ErrorAnswers() {}

    /** Installs the exception handlers; {@code openAi} is null when the server does not serve {@code /v1}. */
    static void install(JavalinConfig config, @Nullable OpenAiRoutes openAi) {
        config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.code(), e));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> {
            if (openAi == null || !openAi.refuse(ctx, e.getStatus(), String.valueOf(e.getMessage()))) {
                httpError(e, ctx);
            }
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(
                    ctx,
                    500,
                    "internal_error",
                    new ApiException(
                            500,
                            "internal_error",
                            "The server failed: " + e.getClass().getSimpleName() + "; its log has the details"));
        });
    }

    private static void httpError(HttpResponseException e, Context ctx) {
        int status = e.getStatus();
        String code = switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "body_too_large";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
        String message = switch (status) {
            case 404 -> "There is no " + ctx.method() + " " + ctx.path() + "; GET /openapi.json describes the API";
            case 405 -> ctx.method() + " is not allowed on " + ctx.path() + "; GET /openapi.json describes the API";
            default -> String.valueOf(e.getMessage());
        };
        error(ctx, status, code, new ApiException(status, code, message));
    }

    private static void error(Context ctx, int status, String code, ApiException e) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("status", status);
        error.put("code", code);
        error.put("message", e.getMessage());
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }
}
