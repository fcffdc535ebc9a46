package io.troupe.api.run;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A run in progress (or finished): its id, its events and its outcome. Thread-safe.
 */
public interface RunHandle {

    /** The conversation's id: the key of its journal. */
    String conversationId();

    /**
     * Completes with the time the run started once its {@link JournalEvent.RunStarted} is journaled: from then on
     * the run survives a crash of this process.
     */
    CompletionStage<Instant> started();

    /**
     * The run's events: every journal event in order, from the first, interleaved with streamed tokens. Each
     * subscriber gets every journal event, however late it subscribes, and the stream completes after
     * {@link JournalEvent.RunFinished}. The events and tokens of child runs (members that are teams) come
     * wrapped in {@link ChildEvent}, tagged with the child run's id. Backpressure follows {@link Flow}.
     *
     * <p>Tokens are streamed only for the model calls that start while someone subscribes; without a subscriber a
     * call is a plain request. To receive the tokens of the first call, subscribe with {@link Troupe#submit(
     * io.troupe.api.team.TeamSpec, String, java.util.Map, Flow.Subscriber)}.
     */
    Flow.Publisher<RunEvent> events();

    /**
     * The run's journal events, and its child runs' wrapped in {@link ChildEvent}, without streamed tokens: for
     * followers that record, audit or measure a run. The same order, replay from the first event and completion as
     * {@link #events()}, but subscribing here does not make model calls stream, so following a run this way costs
     * its calls nothing.
     */
    Flow.Publisher<RunEvent> journalEvents();

    /**
     * When the run's journal event at {@code index} (0-based, in the order of {@link #events()}, child runs' events
     * not counted) was journaled, by the runtime's clock; see {@link Transcript#times()}. Empty for an event this
     * handle has not received yet, or when the handle does not know journal times.
     */
    default Optional<Instant> journaledAt(long index) {
        return Optional.empty();
    }

    /** Completes with the outcome when the run ends. It never completes exceptionally for an expected ending. */
    CompletionStage<Outcome> outcome();

    /**
     * Cancels the run: journals a CANCEL to the agents still working and ends the run with {@link
     * Outcome.Cancelled}; model calls in flight are stopped and child runs cancelled, and no call starts after the
     * CANCEL is journaled. Does nothing to a run that has ended.
     *
     * @return the run's outcome: {@link Outcome.Cancelled}, or how it ended if it ended first
     */
    CompletionStage<Outcome> cancel(String reason);

    /** Cancels the run with the reason "cancelled by the user". */
    default CompletionStage<Outcome> cancel() {
        return cancel("cancelled by the user");
    }
}
