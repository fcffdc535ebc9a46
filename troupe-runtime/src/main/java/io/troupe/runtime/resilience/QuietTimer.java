package io.troupe.runtime.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Timers for model calls' timeouts and retries' waits, on one daemon thread that is woken as seldom as possible.
 *
 * <p>Nearly every call's timeout is cancelled long before it falls due, and each falls due after the ones set
 * before it. So a timer never wakes the thread when it falls due after the thread's next wake-up, nor when it is
 * cancelled: the thread may then wake for a timer that is gone, and sleeps again until the next one. Calls made one
 * after another thus wake it about once per timeout period. The JDK's timers behind {@code
 * CompletableFuture.orTimeout} wake their thread when a timeout is set and again when it is cancelled: two wake-ups
 * of a parked thread per model call, 6.6% of the CPU samples of runs made one after another.
 *
 * <p>It only decides when: a timer that falls due hands its task to the executor (the common pool by default), so a
 * slow task delays no other timer. Thread-safe.
 */
final class QuietTimer {
    /** The timers of every model chain in the process. */
    static final QuietTimer SHARED = new QuietTimer("troupe-model-timer", ForkJoinPool.commonPool());

    /** {@link #plannedWake}'s value while the thread sleeps until a timer is set. */
    private static final long NOT_PLANNED = Long.MIN_VALUE;

    private final Executor executor;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** The timers not fired nor cancelled, by when they fall due; under {@link #lock}. */
    private final TreeSet<Timer> timers = new TreeSet<>(Timer::compareTo);
    /** When ({@link System#nanoTime()}) the thread will wake, or {@link #NOT_PLANNED}; under {@link #lock}. */
    private long plannedWake = NOT_PLANNED;
    /** Tie-breaker between timers due at the same nanosecond; under {@link #lock}. */
    private long sequence;
    /** How often the thread woke; under {@link #lock}. */
    private long wakeUps;

    QuietTimer(String threadName, Executor executor) {
        this.executor = executor;
        Thread.ofPlatform().name(threadName).daemon().start(this::loop);
    }

    /** A timer; {@link #cancel()} it once it is no longer needed. */
    final class Timer implements Comparable<Timer> {
        private final long due;
        private final long order;
        private final Runnable task;

        private Timer(long due, long order, Runnable task) {
            this.due = due;
            this.order = order;
            this.task = task;
        }

        /** Stops the timer, if it has not fallen due yet; never wakes the thread. */
        void cancel() {
            lock.lock();
            try {
                timers.remove(this);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int compareTo(Timer other) {
            int byDue = Long.compare(due - other.due, 0); // nanoTime values compare by their difference
            return byDue != 0 ? byDue : Long.compare(order, other.order);
        }
    }

    /** Runs {@code task} on the executor after {@code delay}, unless the returned timer is cancelled first. */
    Timer schedule(Duration delay, Runnable task) {
        long due = System.nanoTime() + Math.max(0, Math.min(delay.toNanos(), TimeUnit.DAYS.toNanos(365)));
        lock.lock();
        try {
            Timer timer = new Timer(due, sequence++, task);
            timers.add(timer);
            if (plannedWake == NOT_PLANNED || due - plannedWake < 0) {
                changed.signal();
            }
            return timer;
        } finally {
            lock.unlock();
        }
    }

    /** How often the thread has woken since it started: for tests. */
    long wakeUps() {
        lock.lock();
        try {
            return wakeUps;
        } finally {
            lock.unlock();
        }
    }

    /** Gives a task that fell due to the executor; a failure never stops the thread, or no timer would fire again. */
    private void hand(Runnable task) {
        try {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException refused) {
                task.run(); // rather than lose a timeout
            }
        } catch (RuntimeException failed) {
            Thread thread = Thread.currentThread();
            thread.getUncaughtExceptionHandler().uncaughtException(thread, failed);
        }
    }

    private void loop() {
        List<Runnable> due = new ArrayList<>();
        while (true) {
            lock.lock();
            try {
                while (due.isEmpty()) {
                    long now = System.nanoTime();
                    while (!timers.isEmpty() && timers.first().due - now <= 0) {
                        due.add(timers.pollFirst().task);
                    }
                    if (!due.isEmpty()) {
                        break;
                    }
                    if (timers.isEmpty()) {
                        plannedWake = NOT_PLANNED;
                        changed.awaitUninterruptibly();
                    } else {
                        plannedWake = timers.first().due;
                        changed.awaitNanos(plannedWake - now);
                    }
                    wakeUps++;
                }
                plannedWake = NOT_PLANNED;
            } catch (InterruptedException e) {
                // only this class knows the thread, and it never interrupts it: go on timing
            } finally {
                lock.unlock();
            }
            for (Runnable task : due) {
                hand(task);
            }
            due.clear();
        }
    }
}
