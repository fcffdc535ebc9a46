package io.troupe.tune.dataset;

import io.troupe.api.run.Transcript;
import java.util.List;

/**
 * The journaled runs a dataset is built from. The command line reads them read-only from a journal through {@code
 * Troupe.replay}; tests and embedders can pass transcripts directly.
 */
public interface RunSource {

    /** The ids of the runs, in a stable order. */
    List<String> runIds();

    /** The transcript of run {@code runId}. */
    Transcript transcript(String runId);

    /** A source over transcripts already in memory. */
    static RunSource of(List<Transcript> transcripts) {
        List<Transcript> copy = List.copyOf(transcripts);
        return new RunSource() {
            @Override
            public List<String> runIds() {
                return copy.stream().map(Transcript::conversationId).toList();
            }

            @Override
            public Transcript transcript(String runId) {
                return copy.stream()
                        .filter(t -> t.conversationId().equals(runId))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no run " + runId));
            }
        };
    }
}
