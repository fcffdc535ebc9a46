package io.troupe.server;

import io.troupe.api.ConfigurationException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for the node on a request's thread, with a limit, turning failures into API errors. */
final class Waits {
    private Waits() {}

    /** How long a request waits for the journal before it answers 503. */
    static final Duration JOURNAL = Duration.ofSeconds(30);

    static <T> T await(CompletionStage<T> stage, Duration limit, String what) {
        try {
            return stage.toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted", "The server was interrupted while " + what);
        } catch (TimeoutException e) {
            throw new ApiException(
                    503,
                    "journal_unavailable",
                    "The journal did not answer within " + limit.toSeconds() + " s while " + what
                            + "; check /health/ready and try again");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof ApiException api) {
                throw api;
            }
            if (cause instanceof ConfigurationException config) {
                throw new ApiException(422, "spec_invalid", config.getMessage());
            }
            throw new ApiException(503, "journal_unavailable", "The journal failed while " + what + ": " + cause);
        }
    }
}
