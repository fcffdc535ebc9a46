package io.troupe.api;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A language model call failed. The two subclasses split it by remedy: {@link Retriable} failures (rate limits,
 * server errors, timeouts, resets) may succeed when tried again; {@link NonRetriable} ones (bad request, bad key,
 * unknown model) never will, and their message says what to change.
 */
public abstract sealed class ModelException extends TroupeException
        permits ModelException.Retriable, ModelException.NonRetriable {
    private static final long serialVersionUID = 1L;

    private ModelException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /** Whether trying the same call again may succeed. */
    public abstract boolean isRetriable();

    /** A failure that may pass when the call is tried again, such as HTTP 429, a 5xx or a timeout. */
    public static final class Retriable extends ModelException {
        private static final long serialVersionUID = 1L;

        private final @Nullable Duration retryAfter;

        /**
         * @param retryAfter how long the provider asked to wait (an HTTP {@code Retry-After}), or null if it did not
         *     say
         */
        public Retriable(String message, @Nullable Duration retryAfter, @Nullable Throwable cause) {
            super(message, cause);
            this.retryAfter = retryAfter;
        }

        public Retriable(String message, @Nullable Throwable cause) {
            this(message, null, cause);
        }

        public Retriable(String message) {
            this(message, null, null);
        }

        /** How long the provider asked to wait before the next attempt, if it said. */
        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }

        @Override
        public boolean isRetriable() {
            return true;
        }
    }

    /** A failure that the same call will hit again, such as HTTP 400, 401 or an unknown model. */
    public static final class NonRetriable extends ModelException {
        private static final long serialVersionUID = 1L;

        public NonRetriable(String message, @Nullable Throwable cause) {
            super(message, cause);
        }

        public NonRetriable(String message) {
            this(message, null);
        }

        @Override
        public boolean isRetriable() {
            return false;
        }
    }
}
