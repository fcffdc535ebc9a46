package io.troupe.runtime.internal.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A {@link Flow.Publisher} that keeps every item, so that each subscriber receives all of them from the first,
 * however late it subscribes, with backpressure. Signals follow the Reactive Streams rules: serial per
 * subscriber, never more {@code onNext} than requested, {@code onComplete} after the last item.
 *
 * <p>Some items may be {@code transient} (streamed tokens): a subscriber through {@link #durable()} skips them, and
 * only the others count for {@link #hasSubscribers()}.
 *
 * <p>Items are delivered on the thread that publishes or requests; subscribers should not block in
 * {@code onNext}. Thread-safe.
 */
final class ReplayPublisher<T> implements Flow.Publisher<T> {
    private final List<T> items = new ArrayList<>();
    private final List<ReplaySubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final Predicate<? super T> isTransient;
    private final Flow.Publisher<T> durable = subscriber -> subscribe(subscriber, false);
    private volatile boolean completed;

    /** A publisher whose every item goes to every subscriber. */
    ReplayPublisher() {
        this(item -> false);
    }

    /** A publisher whose items that {@code isTransient} accepts go only to its own subscribers, not to durable()'s. */
    ReplayPublisher(Predicate<? super T> isTransient) {
        this.isTransient = isTransient;
    }

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

    /** Whether anyone who takes every item, transient ones included, is subscribed and not yet done. */
    boolean hasSubscribers() {
        for (ReplaySubscription subscription : subscriptions) {
            if (subscription.all) {
                return true;
            }
        }
        return false;
    }

    /** The same items without the transient ones; its subscribers do not count for {@link #hasSubscribers()}. */
    Flow.Publisher<T> durable() {
        return durable;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        subscribe(subscriber, true);
    }

    private void subscribe(Flow.Subscriber<? super T> subscriber, boolean all) {
        Objects.requireNonNull(subscriber, "subscriber");
        ReplaySubscription subscription = new ReplaySubscription(subscriber, all);
        subscriptions.add(subscription);
        subscriber.onSubscribe(subscription);
        subscription.drain();
    }

    private final class ReplaySubscription implements Flow.Subscription {
        private final Flow.Subscriber<? super T> subscriber;
        /** Whether this subscriber takes transient items too. */
        private final boolean all;

        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger work = new AtomicInteger();
        private int next;
        private volatile boolean done;

        ReplaySubscription(Flow.Subscriber<? super T> subscriber, boolean all) {
            this.subscriber = subscriber;
            this.all = all;
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
                        while (!all && next < items.size() && isTransient.test(items.get(next))) {
                            next++;
                        }
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
