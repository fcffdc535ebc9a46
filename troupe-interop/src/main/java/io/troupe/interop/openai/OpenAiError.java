package io.troupe.interop.openai;

import org.jspecify.annotations.Nullable;

/** An error in the OpenAI API's shape: an HTTP status, a type, the parameter at fault and a message. */
final class OpenAiError extends RuntimeException {
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
}
