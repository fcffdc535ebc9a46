package io.troupe.cli;

import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.RunEvent;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Says that a long run is still working when nothing has been printed for a while: a local model that answers with
 * constrained JSON (a bid, a ballot) streams no text, and a large model may take minutes per answer. {@link #tick}
 * returns the line to print, if any; the caller prints it on standard error. Thread-safe.
 */
final class Progress {
    /** How long the transcript may stay silent before a progress line. */
    static final Duration QUIET_FOR = Duration.ofSeconds(10);

    private final Instant started;
    private Instant lastOutput;
    private @Nullable String waitingFor;
    private int calls;
    private long tokens;

    Progress(Instant started) {
        this.started = started;
        this.lastOutput = started;
    }

    /** Notes an event of the run, printed at {@code now}. */
    synchronized void seen(RunEvent event, Instant now) {
        lastOutput = now;
        switch (event) {
            case JournalEvent.LlmRequested requested -> waitingFor = requested.agentId();
            case JournalEvent.LlmCompleted completed -> {
                calls++;
                tokens += completed.response().usage().totalTokens();
                waitingFor = null;
            }
            case JournalEvent.LlmFailed failed -> waitingFor = null;
            default -> {}
        }
    }

    /** The line to print at {@code now}, or null while the transcript is not silent for long. */
    synchronized @Nullable String tick(Instant now) {
        if (Duration.between(lastOutput, now).compareTo(QUIET_FOR) < 0) {
            return null;
        }
        lastOutput = now;
        String doing = waitingFor == null ? "working" : "waiting for " + waitingFor + "'s model";
        return "  … " + Units.duration(Duration.between(started, now)) + ": " + doing + "; " + calls
                + (calls == 1 ? " model call" : " model calls") + " done, " + Units.count(tokens) + " tokens";
    }
}
