package io.troupe.server;

import io.troupe.api.Checks;

/**
 * A request the server refuses or cannot serve, answered as a JSON error: {@code {"error": {"status": 404, "code":
 * "run_not_found", "message": "..."}}}. Handlers, extensions' included, throw it; the server writes it. The code is
 * stable (clients branch on it), the message is for people: what is wrong and how to fix it.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    /**
     * An error with an HTTP status, a stable code ({@code snake_case}) and a message.
     *
     * @throws IllegalArgumentException if the status is not a 4xx or 5xx status or the code is not snake_case
     */
    public ApiException(int status, String code, String message) {
        super(Checks.notBlank(message, "ApiException message"), null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an API error's status is 4xx or 5xx, got " + status);
        }
        if (!code.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("an API error's code is snake_case, got '" + code + "'");
        }
        this.status = status;
        this.code = code;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The stable code, such as {@code run_not_found}. */
    public String code() {
        return code;
    }

    /** 400 {@code bad_request}, or the given code. */
    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    /** 404 with the given code. */
    public static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }
}
