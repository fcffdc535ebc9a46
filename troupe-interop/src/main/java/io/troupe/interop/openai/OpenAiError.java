package io.troupe.interop.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.troupe.api.ModelException;
import org.jspecify.annotations.Nullable;

/**
 * An error in the OpenAI API's shape: an HTTP status, a type, the parameter at fault, a code and a message, written as
 * {@code {"error": {"message", "type", "param", "code"}}} (param and code null when there is none).
 */
final class OpenAiError extends RuntimeException {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final String type;
    private final @Nullable String param;
    private final @Nullable String code;

    OpenAiError(int status, String type, @Nullable String param, @Nullable String code, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    static OpenAiError invalid(@Nullable String param, String message) {
        return new OpenAiError(400, "invalid_request_error", param, null, message);
    }

    /** The error for a model's failure: busy (503) when trying again may pass, the request's fault (400) else. */
    static OpenAiError failure(@Nullable Throwable cause) {
        if (cause instanceof ModelException model) {
            return model.isRetriable()
                    ? new OpenAiError(503, "server_error", null, "model_busy", model.getMessage())
                    : new OpenAiError(400, "invalid_request_error", null, "model_error", model.getMessage());
        }
        return new OpenAiError(500, "server_error", null, null, "The model failed: " + cause);
    }

    /**
     * The error for a request under {@code prefix} that no route took or the server refused before its route: 404
     * {@code unknown_url} for a path the API does not have, 405 {@code method_not_allowed} (setting {@code Allow}) for
     * a method its path does not take, and for another status ({@code code} and {@code message} from the server) an
     * error of the status's type.
     */
    static OpenAiError unrouted(Context ctx, String prefix, int status, @Nullable String code, String message) {
        String path = ctx.path();
        String allowed = path.equals(prefix + "/chat/completions")
                ? "POST"
                : path.equals(prefix + "/models") || path.startsWith(prefix + "/models/") ? "GET" : null;
        if (status == 405 && allowed != null) {
            ctx.header("Allow", allowed);
            return new OpenAiError(
                    405,
                    "invalid_request_error",
                    null,
                    "method_not_allowed",
                    "Invalid method (" + ctx.method() + " " + path + "): it takes " + allowed);
        }
        if (status == 404 || status == 405) {
            return new OpenAiError(
                    404,
                    "invalid_request_error",
                    null,
                    "unknown_url",
                    "Invalid URL (" + ctx.method() + " " + path + "): this server offers GET " + prefix
                            + "/models, GET " + prefix + "/models/{id} and POST " + prefix + "/chat/completions");
        }
        return refused(status, code, message);
    }

    /** An error of the server's for {@code status}: {@code server_error} for a 5xx, else {@code invalid_request_error}. */
    static OpenAiError refused(int status, @Nullable String code, String message) {
        return new OpenAiError(status, status >= 500 ? "server_error" : "invalid_request_error", null, code, message);
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    @Nullable
    String param() {
        return param;
    }

    @Nullable
    String code() {
        return code;
    }

    /** The {@code error} object. */
    ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("message", getMessage());
        node.put("type", type);
        node.put("param", param);
        node.put("code", code);
        return node;
    }

    /** The body of an answer with this error: {@code {"error": {...}}}. */
    String body() {
        ObjectNode body = JSON.createObjectNode();
        body.set("error", toJson());
        return body.toString();
    }

    /** Answers {@code ctx} with this error: its status and {@code {"error": {...}}}. */
    void answer(Context ctx) {
        ctx.status(status).contentType("application/json").result(body());
    }
}
