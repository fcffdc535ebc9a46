package io.troupe.runtime.internal.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Flow.Publisher} that keeps every item, so that each subscriber receives all of them from the first,
 * however late it subscribes, with backpressure. Signals follow the Reactive Streams rules: serial per
 * subscriber, never more {@code onNext} than requested, {@code onComplete} after the last item.
 *
 * <p>Items are delivered on the thread that publishes or requests; subscribers should not block in
 * {@code onNext}. Thread-safe.
 */
final class ReplayPublisher<T> implements Flow.Publisher<T> {
    private final List<T> items = new ArrayList<>();
    private final List<ReplaySubscription> subscriptions = new CopyOnWriteArrayList<>();
    private volatile boolean completed;

    /** Adds an item and delivers it to subscribers with demand. */
    void publish(T item) {
        Objects.requireNonNull(item, "item");
        synchronized (items) {
            if (completed) {
                return;
            }
            items.add(item);
        }
        subscriptions.forEach(ReplaySubscription::drain);
    }

    /** Completes the stream once every subscriber has received every item. */
    void complete() {
        completed = true;
        subscriptions.forEach(ReplaySubscription::drain);
    }

    /** Whether anyone is subscribed and not yet done. */
    boolean hasSubscribers() {
        return !subscriptions.isEmpty();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        ReplaySubscription subscription = new ReplaySubscription(subscriber);
        subscriptions.add(subscription);
        subscriber.onSubscribe(subscription);
        subscription.drain();
    }

    private final class ReplaySubscription implements Flow.Subscription {
        private final Flow.Subscriber<? super T> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger work = new AtomicInteger();
        private int next;
        private volatile boolean done;

        ReplaySubscription(Flow.Subscriber<? super T> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancel();
                subscriber.onError(new IllegalArgumentException(
                        "request(" + n + "): demand must be positive (Reactive Streams rule 3.9)"));
                return;
            }
            demand.getAndAccumulate(n, (current, add) -> current + add < 0 ? Long.MAX_VALUE : current + add);
            drain();
        }

        @Override
        public void cancel() {
            done = true;
            subscriptions.remove(this);
        }

        /** Delivers what it can; only one thread delivers at a time, and no wake-up is lost. */
        void drain() {
            if (work.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                while (!done) {
                    T item = null;
                    boolean finished;
                    synchronized (items) {
                        if (next < items.size() && demand.get() > 0) {
                            item = items.get(next++);
                        }
                        finished = completed && next == items.size();
                    }
                    if (item != null) {
                        demand.decrementAndGet();
                        subscriber.onNext(item);
                    } else {
                        if (finished) {
                            done = true;
                            subscriptions.remove(this);
                            subscriber.onComplete();
                        }
                        break;
                    }
                }
                missed = work.addAndGet(-missed);
            } while (missed != 0);
        }
    }
}
