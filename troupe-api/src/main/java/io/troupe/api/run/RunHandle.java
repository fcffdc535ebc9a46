package io.troupe.api.run;

import io.troupe.api.event.RunEvent;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A run in progress (or finished): its id, its events and its outcome. Thread-safe.
 */
public interface RunHandle {

    /** The conversation's id: the key of its journal. */
    String conversationId();

    /**
     * The run's events: every journal event in order, from the first, interleaved with streamed tokens. Each
     * subscriber gets every journal event, however late it subscribes, and the stream completes after
     * {@link io.troupe.api.event.JournalEvent.RunFinished}. Backpressure follows {@link Flow}.
     */
    Flow.Publisher<RunEvent> events();

    /** Completes with the outcome when the run ends. It never completes exceptionally for an expected ending. */
    CompletionStage<Outcome> outcome();
}
