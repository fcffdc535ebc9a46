package io.troupe.cli;

import io.troupe.api.ModelException;
import io.troupe.runtime.resilience.ResilienceListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells the person at the terminal what the resilience layer does about failing models: each retry and its wait,
 * each fallback, each refusal by an open breaker. One line each, on standard error. Thread-safe.
 *
 * @param err where the lines go
 * @param askedAgain set when a model is asked again (a retry, a fallback): the transcript then marks what the failed
 *     attempt streamed as discarded
 */
record Notices(PrintStream err, AtomicBoolean askedAgain) implements ResilienceListener {
    /** Notices on {@code err}, with a flag of their own. */
    Notices(PrintStream err) {
        this(err, new AtomicBoolean());
    }

    @Override
    public void onRetry(String model, int attempt, Duration delay, ModelException error) {
        askedAgain.set(true);
        err.println("  ↻ model '" + model + "' attempt " + attempt + " failed (" + firstLine(error) + "); retrying in "
                + Units.duration(delay));
    }

    @Override
    public void onFallback(String from, String to, ModelException error) {
        askedAgain.set(true);
        err.println("  ⇢ model '" + from + "' gave up (" + firstLine(error) + "); falling back to '" + to + "'");
    }

    @Override
    public void onBreakerOpen(String model) {
        err.println("  ⊘ model '" + model + "' is skipped: its circuit breaker is open after repeated failures");
    }

    private static String firstLine(Throwable error) {
        String message = Main.describe(error).lines().findFirst().orElse("");
        return message.length() <= 160 ? message : message.substring(0, 159) + "…";
    }
}
