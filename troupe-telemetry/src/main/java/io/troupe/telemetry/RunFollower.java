package io.troupe.telemetry;

import io.opentelemetry.api.trace.Span;
import io.troupe.api.run.ChildEvent;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.RunEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Subscribes to one run and its child runs for {@link Telemetry#follow} and {@link Telemetry#resume}; events arrive
 * one at a time, each run's from its first, and each run's go to its {@link RunMeters} and, if the run is traced, to
 * its {@link RunSpans} (an untraced run costs no span work). The events that {@code history} holds for a run (it was
 * resumed) were counted before: they get the times the journal recorded and quiet metrics; the others get the time
 * they arrive and the live metrics. Used from the subscription's thread, one event at a time.
 */
final class RunFollower implements Flow.Subscriber<RunEvent> {
    /** The times of the events a run had journaled before it resumed, and how they are known. */
    record Past(List<Instant> times, String timing) {}

    /** The spans of a run in the followed run's trace, under {@code parent} (null: none, as for the followed run). */
    interface SpansFactory {
        RunSpans spans(String conversationId, @Nullable Span parent);
    }

    private final String conversationId;
    private final Map<String, Past> history;
    private final @Nullable SpansFactory factory;
    private final Function<String, String> providers;
    private final RunMetrics metrics;
    private final Clock clock;
    /** The spans of each run, when traced. */
    private final Map<String, RunSpans> runs = new HashMap<>();
    /** The meters of each run. */
    private final Map<String, RunMeters> meters = new HashMap<>();
    /** How many events of each run have arrived. */
    private final Map<String, Integer> arrived = new HashMap<>();

    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private @Nullable RunMetrics quiet;

    /**
     * @param conversationId the followed top-level run
     * @param history the times of the events each run had journaled before it resumed, by run; empty if it did not
     * @param factory the spans of each run, made when its first event arrives; null when the run is not traced
     * @param providers the provider name of each model, by the name runs use
     * @param metrics the live metrics
     * @param clock the time of an event observed now
     */
    RunFollower(
            String conversationId,
            Map<String, Past> history,
            @Nullable SpansFactory factory,
            Function<String, String> providers,
            RunMetrics metrics,
            Clock clock) {
        this.conversationId = conversationId;
        this.history = history;
        this.factory = factory;
        this.providers = providers;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Completes when the run has ended and its spans are handed to the exporter. */
    CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(RunEvent event) {
        try {
            switch (event) {
                case JournalEvent journal -> accept(conversationId, journal);
                case ChildEvent child
                when child.event() instanceof JournalEvent journal -> accept(child.childConversationId(), journal);
                default -> {}
            }
        } catch (RuntimeException e) {
            // Telemetry must never disturb a run; a span that cannot be built is dropped.
        }
    }

    private void accept(String id, JournalEvent event) {
        RunSpans spans = factory == null ? null : spans(factory, id);
        RunMeters counted = meters.computeIfAbsent(id, key -> new RunMeters(providers));
        Past past = history.isEmpty() ? null : history.get(id);
        int index = past == null ? 0 : arrived.merge(id, 1, Integer::sum) - 1;
        Instant at;
        String timing;
        if (past != null && index < past.times().size()) {
            if (quiet == null) {
                quiet = RunMetrics.quiet();
            }
            at = past.times().get(index);
            timing = past.timing();
            counted.accept(event, at, quiet);
        } else {
            at = clock.instant();
            timing = "observed";
            counted.accept(event, at, metrics);
        }
        if (spans != null) {
            spans.accept(event, at, timing);
        }
    }

    private RunSpans spans(SpansFactory factory, String id) {
        RunSpans spans = runs.get(id);
        if (spans == null) {
            Span parent = null;
            int dot = id.lastIndexOf('.');
            if (!id.equals(conversationId) && dot > 0) {
                RunSpans outer = runs.get(id.substring(0, dot));
                try {
                    parent = outer == null ? null : outer.step(Integer.parseInt(id.substring(dot + 1)));
                } catch (NumberFormatException e) {
                    parent = null;
                }
            }
            spans = factory.spans(id, parent);
            runs.put(id, spans);
        }
        return spans;
    }

    @Override
    public void onError(Throwable throwable) {
        end();
    }

    @Override
    public void onComplete() {
        end();
    }

    private void end() {
        if (done.complete(null)) {
            metrics.stopped();
        }
    }
}
