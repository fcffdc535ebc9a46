package io.troupe.server;

import io.troupe.api.run.RunStatus;
import io.troupe.api.run.RunSummary;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumes the unfinished runs in the journal when the server starts: for each run started through the API, it
 * rebuilds the models and tools of the spec the run journaled, then follows the run, which wakes it. A run whose
 * spec can no longer be built waits, untouched, and the API says why.
 */
final class Resumer {
    private static final Logger LOG = LoggerFactory.getLogger(Resumer.class);

    private final MeteredNode node;
    private final Specs specs;
    private final SpecShelf shelf;
    private final ServerGuards guards;
    /** Runs this server cannot resume, with why. */
    private final Map<String, String> waiting = new ConcurrentHashMap<>();

    Resumer(MeteredNode node, Specs specs, SpecShelf shelf, ServerGuards guards) {
        this.node = node;
        this.specs = specs;
        this.shelf = shelf;
        this.guards = guards;
    }

    /** Resumes what it can; returns how many runs it resumed. */
    int resumeUnfinished() {
        int resumed = 0;
        for (RunSummary run : node.runs()) {
            if (run.status().isFinished() || run.parentConversationId() != null) {
                continue; // a child run is resumed by its parent
            }
            try {
                LoadedSpec spec = specs.ofRun(run.metadata());
                if (spec == null) {
                    if (run.status() == RunStatus.WAITING_FOR_RUNTIME) {
                        waiting.put(run.conversationId(), "it was not started through the API: " + run.waitingFor());
                        continue;
                    }
                } else {
                    shelf.stock(spec);
                    guards.prepare(spec); // a run whose guard cannot be built waits rather than run unguarded
                }
                node.resume(run.conversationId());
                resumed++;
            } catch (ApiException | io.troupe.api.TroupeException e) {
                String why = "its spec cannot be built on this server: " + e.getMessage();
                waiting.put(run.conversationId(), why);
                LOG.warn("Run {} waits: {}", run.conversationId(), why);
            }
        }
        return resumed;
    }

    /** Why this server cannot resume run {@code id}, or null. */
    @Nullable
    String waitingFor(String id) {
        return waiting.get(id);
    }

    /** {@code run}, with what this server knows of why it waits. */
    RunSummary annotate(RunSummary run) {
        String why = run.status().isFinished() ? null : waiting.get(run.conversationId());
        if (why == null) {
            return run;
        }
        return new RunSummary(
                run.conversationId(),
                run.team(),
                RunStatus.WAITING_FOR_RUNTIME,
                run.startedAt(),
                run.finishedAt(),
                run.outcome(),
                run.usage(),
                run.parentConversationId(),
                why,
                run.metadata());
    }
}
