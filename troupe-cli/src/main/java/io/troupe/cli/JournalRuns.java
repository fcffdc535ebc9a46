package io.troupe.cli;

import io.troupe.api.run.RunSummary;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.tune.dataset.RunSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The runs of a journal, read through a read-only runtime with the public API ({@link Troupe#runs()} and {@link
 * Troupe#replay}): the one place the command line reads journaled runs for datasets and eval cases.
 */
final class JournalRuns implements RunSource {
    private final Troupe troupe;

    JournalRuns(Troupe troupe) {
        this.troupe = troupe;
    }

    /** Every run, child runs included, oldest first: on duplicates, the earliest example is the one kept. */
    @Override
    public List<String> runIds() {
        List<String> ids = new ArrayList<>();
        for (RunSummary run : troupe.runs()) {
            ids.add(run.conversationId());
        }
        return ids.reversed();
    }

    @Override
    public Transcript transcript(String runId) {
        try {
            return troupe.replay(runId).toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading run " + runId, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot read run " + runId + ": " + Main.describe(e), e);
        }
    }
}
