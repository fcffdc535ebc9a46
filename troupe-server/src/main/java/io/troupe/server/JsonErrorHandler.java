package io.troupe.server;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * Jetty's own error responses (a request it refuses before Javalin sees it: a URL or headers too long, a bad Host or
 * Content-Length, an unreadable path) as JSON errors in the shape of the path's protocol ({@link
 * ErrorAnswers#jettyBody}), instead of Jetty's HTML page: clients parse one shape. The API's codes: {@code
 * uri_too_long}, {@code headers_too_large}, {@code body_too_large}, {@code bad_request} and, for other statuses,
 * {@code http_error}.
 */
final class JsonErrorHandler extends ErrorHandler {
    private final ErrorAnswers answers;

    JsonErrorHandler(ErrorAnswers answers) {
        this.answers = answers;
    }

    @Override
    protected void generateResponse(
            Request request,
            Response response,
            int status,
            @Nullable String message,
            @Nullable Throwable cause,
            Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(
                true, ByteBuffer.wrap(answers.jettyBody(request.getHttpURI().getPath(), status, message)), callback);
    }

    /** For a request Jetty could not even parse: the body it sends with the status. */
    @Override
    public ByteBuffer badMessageError(int status, @Nullable String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(answers.jettyBody(null, status, reason));
    }
}
