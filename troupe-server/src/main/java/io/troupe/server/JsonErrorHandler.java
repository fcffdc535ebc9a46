package io.troupe.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Jetty's own error responses (a request it refuses before the API sees it: a URL or headers too long, a bad Host or
 * Content-Length, an unreadable path) as the API's JSON errors, {@code {"error": {"status", "code", "message"}}},
 * instead of Jetty's HTML page: clients of the API parse one shape. The codes: {@code uri_too_long}, {@code
 * headers_too_large}, {@code body_too_large}, {@code bad_request} and, for other statuses, {@code http_error}.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(
            Request request,
            Response response,
            int status,
            @Nullable String message,
            @Nullable Throwable cause,
            Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(status, message)), callback);
    }

    /** For a request Jetty could not even parse: the body it sends with the status. */
    @Override
    public ByteBuffer badMessageError(int status, @Nullable String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, reason));
    }

    static byte[] body(int status, @Nullable String message) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("status", status);
        error.put("code", code(status));
        error.put(
                "message",
                "The server refused the request: "
                        + (message == null || message.isBlank() ? "HTTP " + status : message));
        return Json.write(body).getBytes(StandardCharsets.UTF_8);
    }

    private static String code(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "body_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "headers_too_large";
            default -> "http_error";
        };
    }
}
