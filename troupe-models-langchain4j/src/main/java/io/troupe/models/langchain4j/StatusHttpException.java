package io.troupe.models.langchain4j;

import dev.langchain4j.exception.HttpException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP error response that keeps the server's {@code Retry-After}.
 *
 * <p>LangChain4j's own {@link HttpException} carries only the status code and the body, so its stock HTTP clients
 * drop the header. {@link RetryAfterHttpClient} throws this subclass instead; LangChain4j's exception mapping wraps it
 * as the cause of its {@code RateLimitException} or {@code InternalServerException}, where {@link ErrorMapper} finds
 * it again.
 */
final class StatusHttpException extends HttpException {
    private static final long serialVersionUID = 1L;

    private final @Nullable Duration retryAfter;

    StatusHttpException(int statusCode, String body, @Nullable Duration retryAfter) {
        super(statusCode, body);
        this.retryAfter = retryAfter;
    }

    /** How long the server asked to wait, or null if it did not say. */
    @Nullable
    Duration retryAfter() {
        return retryAfter;
    }

    /**
     * Reads {@code retry-after-ms} (sent by OpenAI) or {@code Retry-After} in delta-seconds or HTTP-date form; returns
     * null when neither is present or parseable. A date in the past means "now" (zero).
     */
    static @Nullable Duration parseRetryAfter(Function<String, Optional<String>> header, ZonedDateTime now) {
        Optional<String> millis = header.apply("retry-after-ms");
        if (millis.isPresent()) {
            try {
                return Duration.ofMillis(
                        Math.max(0, (long) Double.parseDouble(millis.get().strip())));
            } catch (NumberFormatException e) {
                // fall through to Retry-After
            }
        }
        Optional<String> value = header.apply("retry-after");
        if (value.isEmpty()) {
            return null;
        }
        String text = value.get().strip();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(text)));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(now, ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
