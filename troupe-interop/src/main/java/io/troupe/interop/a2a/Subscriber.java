package io.troupe.interop.a2a;

import io.troupe.interop.a2a.wire.StreamResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stream of one task's events for one client, in order, ended once the task is final (or, for {@code
 * SendStreamingMessage}, waits for input). Thread-safe: the task writes, the client's request thread reads.
 */
final class Subscriber {
    /** What {@link #next} returns. */
    sealed interface Next {
        record Event(StreamResponse event) implements Next {}

        record End() implements Next {}

        record Idle() implements Next {}
    }

    private static final Object END = new Object();

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final boolean endsWhenInterrupted;

    Subscriber(boolean endsWhenInterrupted) {
        this.endsWhenInterrupted = endsWhenInterrupted;
    }

    boolean endsWhenInterrupted() {
        return endsWhenInterrupted;
    }

    void offer(StreamResponse event) {
        queue.add(event);
    }

    void end() {
        queue.add(END);
    }

    /** The next event, the end of the stream, or idle when nothing came within {@code wait}. */
    Next next(Duration wait) throws InterruptedException {
        Object item = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (item == null) {
            return new Next.Idle();
        }
        return item == END ? new Next.End() : new Next.Event((StreamResponse) item);
    }

    /** The next event if one is queued now. */
    Optional<StreamResponse> poll() {
        Object item = queue.peek();
        if (item instanceof StreamResponse event) {
            queue.poll();
            return Optional.of(event);
        }
        return Optional.empty();
    }
}
