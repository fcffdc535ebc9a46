package io.troupe.interop.internal;

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
 * Jetty's own error responses as JSON instead of its HTML page. Jetty refuses some requests before Javalin sees them (a
 * URL or headers too long, a bad Host or Content-Length, an unreadable path), so the error handlers a server registers
 * with Javalin never hear of them; this handler answers them with the body the server makes for the path, in the shape
 * of the protocol the path speaks, so that a client parses one shape whoever refused it. Both of Troupe's servers use
 * it: {@code troupe serve}'s, whose paths speak several protocols, and the standalone A2A agent's, which speaks
 * JSON-RPC everywhere.
 */
public final class JsonErrorHandler extends ErrorHandler {
    /** The path Jetty gives a request whose request line it could not read (a URI too long): its own is unknown. */
    private static final String UNREAD_PATH = "/badMessage";

    private final Body body;

    /** The JSON body of a refusal. */
    @FunctionalInterface
    public interface Body {
        /**
         * The body for a request to {@code path}, refused with {@code status}.
         *
         * @param path the request's path, or null when Jetty could not read the request line
         * @param message what happened, such as {@code The server refused the request: Request Header Fields Too Large}
         */
        String of(@Nullable String path, int status, String message);
    }

    public JsonErrorHandler(Body body) {
        this.body = body;
    }

    @Override
    protected void generateResponse(
            Request request,
            Response response,
            int status,
            @Nullable String message,
            @Nullable Throwable cause,
            Callback callback) {
        String path = request.getHttpURI().getPath();
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, body(path == null || path.equals(UNREAD_PATH) ? null : path, status, message), callback);
    }

    /** For a request Jetty could not even parse: the body it sends with the status. */
    @Override
    public ByteBuffer badMessageError(int status, @Nullable String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return body(null, status, reason);
    }

    private ByteBuffer body(@Nullable String path, int status, @Nullable String reason) {
        String message =
                "The server refused the request: " + (reason == null || reason.isBlank() ? "HTTP " + status : reason);
        return ByteBuffer.wrap(body.of(path, status, message).getBytes(StandardCharsets.UTF_8));
    }
}
