package io.troupe.models.langchain4j;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import io.troupe.api.ModelException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Turns whatever LangChain4j or the HTTP client threw into a {@link ModelException} split by remedy.
 *
 * <p>HTTP 429, 408 and 5xx, timeouts and broken connections are retriable; other 4xx responses are not, and their
 * message names the model, the server and what to change. Messages never contain the API key: response bodies are
 * redacted, and the cause is dropped when any message in its chain reveals the key.
 */
final class ErrorMapper {
    private static final int MAX_BODY_CHARS = 500;

    private final Endpoint endpoint;

    ErrorMapper(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    ModelException map(Throwable thrown) {
        Throwable failure = unwrap(thrown);
        if (failure instanceof ModelException modelException) {
            return modelException;
        }
        Throwable cause = revealsKey(failure) ? null : failure;
        String where = endpoint.describe();

        HttpException http = find(failure, HttpException.class);
        if (http != null) {
            Duration retryAfter = http instanceof StatusHttpException status ? status.retryAfter() : null;
            return fromStatus(http.statusCode(), http.getMessage(), retryAfter, cause);
        }
        if (find(failure, HttpTimeoutException.class) != null
                || find(failure, SocketTimeoutException.class) != null
                || find(failure, java.util.concurrent.TimeoutException.class) != null
                || find(failure, dev.langchain4j.exception.TimeoutException.class) != null) {
            return new ModelException.Retriable(
                    where + " timed out; try again, or raise the timeout if the model is slow", cause);
        }
        if (find(failure, UnresolvedAddressException.class) != null
                || find(failure, UnresolvedModelServerException.class) != null) {
            // Offline, or a name server that does not answer, looks the same as a mistyped host: another attempt (a
            // network back), or the next model of a fallback chain (a local one), may well answer.
            return new ModelException.Retriable(
                    where + ": cannot resolve the host; is this machine online, and is the base URL "
                            + endpoint.baseUrl() + " right?",
                    cause);
        }
        if (find(failure, ConnectException.class) != null) {
            return new ModelException.Retriable(
                    where + ": cannot connect; is the server running and reachable at " + endpoint.baseUrl() + "?",
                    cause);
        }
        IncompleteStreamException incomplete = find(failure, IncompleteStreamException.class);
        if (incomplete != null) {
            if (incomplete.streamed()) {
                return new ModelException.Retriable(
                        where + ": the answer's stream was cut off before its end (no data: [DONE]); the server may"
                                + " recover",
                        cause);
            }
            return new ModelException.NonRetriable(
                    where + " did not answer a streaming request with a stream (Content-Type "
                            + incomplete.contentType() + ", no [DONE]); check that the base URL "
                            + endpoint.baseUrl() + " is an OpenAI-compatible API that supports \"stream\": true",
                    cause);
        }
        com.fasterxml.jackson.core.JsonProcessingException json =
                find(failure, com.fasterxml.jackson.core.JsonProcessingException.class);
        if (json != null) {
            return new ModelException.NonRetriable(
                    where + " answered with JSON that cannot be read (" + excerpt(json.getOriginalMessage())
                            + "); check that the base URL " + endpoint.baseUrl() + " is the model's API",
                    cause);
        }
        IOException io = find(failure, IOException.class);
        if (io != null) {
            return new ModelException.Retriable(
                    where + ": the connection failed (" + io.getClass().getSimpleName() + ": "
                            + excerpt(io.getMessage()) + ")",
                    cause);
        }
        if (failure instanceof RetriableException) {
            return new ModelException.Retriable(where + " failed: " + excerpt(failure.getMessage()), cause);
        }
        if (failure instanceof AuthenticationException) {
            return new ModelException.NonRetriable(where + " rejected the credentials: " + endpoint.keyHint(), cause);
        }
        if (failure instanceof ModelNotFoundException) {
            return new ModelException.NonRetriable(where + " was not found: " + endpoint.notFoundHint(), cause);
        }
        if (failure instanceof UnsupportedFeatureException) {
            return new ModelException.NonRetriable(
                    where + " does not support this request: " + excerpt(failure.getMessage()), cause);
        }
        if (readingAnAnswer(failure)) {
            return new ModelException.NonRetriable(
                    where + " answered with a response that has no usable choice (an empty \"choices\" list, or a"
                            + " field missing); check that the base URL " + endpoint.baseUrl()
                            + " is an OpenAI-compatible API",
                    cause);
        }
        return new ModelException.NonRetriable(
                where + " failed unexpectedly: " + failure.getClass().getName() + ": " + excerpt(failure.getMessage()),
                cause);
    }

    /**
     * Whether {@code failure} is LangChain4j reading an answer that lacks what it expects: an index or a null where
     * the server left out a choice or a field.
     */
    private static boolean readingAnAnswer(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IndexOutOfBoundsException || cause instanceof NullPointerException) {
                for (StackTraceElement frame : cause.getStackTrace()) {
                    if (frame.getClassName().startsWith("dev.langchain4j.")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private ModelException fromStatus(
            int status, @Nullable String body, @Nullable Duration retryAfter, @Nullable Throwable cause) {
        String prefix = endpoint.describe() + " answered HTTP " + status;
        String detail = body == null || body.isBlank() ? "" : ": " + excerpt(body);
        if (status == 429) {
            String wait = retryAfter == null ? "" : " (Retry-After " + retryAfter.toSeconds() + "s)";
            return new ModelException.Retriable(prefix + " Too Many Requests" + wait + detail, retryAfter, cause);
        }
        if (status == 408 || status >= 500) {
            return new ModelException.Retriable(prefix + detail + "; the server may recover", retryAfter, cause);
        }
        String remedy = switch (status) {
            case 401 -> "check the API key" + keyPlace();
            case 403 ->
                "the API key" + keyPlace() + " lacks access to model '" + endpoint.model()
                        + "'; check its permissions, or " + endpoint.keyHint();
            case 404 -> endpoint.notFoundHint();
            case 413 -> "the prompt is too large for the server; shorten the conversation";
            default ->
                "the request was rejected; check the model name '" + endpoint.model()
                        + "', the tools' parameter schemas and the response schema";
        };
        return new ModelException.NonRetriable(prefix + detail + "; " + remedy, cause);
    }

    private String keyPlace() {
        ApiKey key = endpoint.apiKey();
        return key == null ? " (none is configured; set apiKey(ApiKey.fromEnv(...)))" : " in " + key.source();
    }

    private String excerpt(@Nullable String text) {
        if (text == null) {
            return "(no message)";
        }
        String clean = endpoint.redact(text).strip().replaceAll("\\s+", " ");
        return clean.length() <= MAX_BODY_CHARS ? clean : clean.substring(0, MAX_BODY_CHARS) + "…";
    }

    private boolean revealsKey(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (endpoint.revealsKey(t.getMessage()) || endpoint.revealsKey(t.toString())) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (endpoint.revealsKey(suppressed.toString())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable thrown) {
        Throwable t = thrown;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
