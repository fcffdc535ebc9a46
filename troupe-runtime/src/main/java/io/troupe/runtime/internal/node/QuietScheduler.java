package io.troupe.runtime.internal.node;

import com.typesafe.config.Config;
import java.io.Closeable;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.actor.SchedulerException;
import org.apache.pekko.actor.SchedulerTask;
import org.apache.pekko.event.LoggingAdapter;
import scala.concurrent.ExecutionContext;
import scala.concurrent.duration.FiniteDuration;

/**
 * Pekko's scheduler for a Troupe node: one timer thread that sleeps until the next task is due, instead of Pekko's
 * default scheduler, whose thread wakes every tick (10 ms) whether or not anything is due. An idle runtime then
 * costs nothing between its few periodic tasks, and timers are precise to the millisecond.
 *
 * <p>Like the default, it only decides when: each task runs on the execution context it was scheduled with. Tasks
 * that must run at shutdown ({@link Scheduler.TaskRunOnClose}) run when the actor system closes the scheduler.
 * Configured as {@code pekko.scheduler.implementation} in Troupe's defaults. Thread-safe.
 */
public final class QuietScheduler implements Scheduler, Closeable {
    private final ScheduledThreadPoolExecutor timer;
    private final LoggingAdapter log;
    /** Scheduled tasks that must run when the scheduler closes, if they have not run by then. */
    private final Set<Runnable> runOnClose = ConcurrentHashMap.newKeySet();

    /** The constructor Pekko calls: {@code (config, log, threadFactory)}. */
    public QuietScheduler(Config config, LoggingAdapter log, ThreadFactory threadFactory) {
        this.log = log;
        this.timer = new ScheduledThreadPoolExecutor(1, threadFactory);
        // Cancelled timers leave the queue at once: conversations cancel most of theirs.
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Cancellable scheduleOnce(FiniteDuration delay, Runnable runnable, ExecutionContext executor) {
        if (runnable instanceof Scheduler.TaskRunOnClose) {
            runOnClose.add(runnable);
        }
        try {
            ScheduledFuture<?> future = timer.schedule(
                    () -> {
                        runOnClose.remove(runnable);
                        executor.execute(runnable);
                    },
                    Math.max(0, delay.toNanos()),
                    TimeUnit.NANOSECONDS);
            return new Once(future, runnable);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // As Pekko's LightArrayRevolverScheduler.scheduleOnce throws: an IllegalStateException caused by a
            // SchedulerException. Pekko's callers expect exactly that: a dispatcher shutting down catches the
            // IllegalStateException and stops its threads at once (with anything else its threads stay, and a
            // program that closed its runtime does not exit).
            String message = "cannot schedule a task: the scheduler is closed";
            throw new IllegalStateException(message, new SchedulerException(message));
        }
    }

    /** At a fixed rate, as Pekko's deprecated {@code schedule} promises: each run is scheduled from the last due time. */
    @Override
    public Cancellable schedule(
            FiniteDuration initialDelay, FiniteDuration interval, Runnable runnable, ExecutionContext executor) {
        if (interval.toNanos() <= 0) {
            throw new IllegalArgumentException("a repeated task needs a positive interval, got " + interval);
        }
        Repeated repeated = new Repeated(runnable, interval.toNanos(), executor);
        repeated.next(System.nanoTime() + Math.max(0, initialDelay.toNanos()));
        return repeated;
    }

    @Override
    public double maxFrequency() {
        return 1000; // millisecond precision
    }

    @Override
    public void close() {
        timer.shutdownNow();
        for (Runnable task : runOnClose) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error(e, "a timer task that runs at shutdown failed");
            }
        }
        runOnClose.clear();
    }

    private void cancelled(Runnable runnable) {
        runOnClose.remove(runnable);
        if (runnable instanceof SchedulerTask task) {
            task.cancelled();
        }
    }

    /** A task that runs once. */
    private final class Once implements Cancellable {
        private final ScheduledFuture<?> future;
        private final Runnable runnable;

        Once(ScheduledFuture<?> future, Runnable runnable) {
            this.future = future;
            this.runnable = runnable;
        }

        @Override
        public boolean cancel() {
            boolean cancelled = future.cancel(false);
            if (cancelled) {
                cancelled(runnable);
            }
            return cancelled;
        }

        @Override
        public boolean isCancelled() {
            return future.isCancelled();
        }
    }

    /** A task that repeats until it is cancelled or fails; each run schedules the next once it has run. */
    private final class Repeated implements Cancellable {
        private final Runnable runnable;
        private final long interval;
        private final ExecutionContext executor;
        /** The next run's timer; null once cancelled. */
        private final AtomicReference<ScheduledFuture<?>> next = new AtomicReference<>();

        private volatile boolean cancelled;

        Repeated(Runnable runnable, long interval, ExecutionContext executor) {
            this.runnable = runnable;
            this.interval = interval;
            this.executor = executor;
        }

        void next(long dueAt) {
            if (cancelled) {
                return;
            }
            try {
                next.set(timer.schedule(
                        () -> executor.execute(() -> run(dueAt)),
                        Math.max(0, dueAt - System.nanoTime()),
                        TimeUnit.NANOSECONDS));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                cancelled = true; // closed: a repeated task ends with the scheduler
            }
            if (cancelled) {
                cancelNext();
            }
        }

        private void run(long dueAt) {
            if (cancelled) {
                return;
            }
            try {
                runnable.run();
            } catch (SchedulerException e) {
                // As Pekko's scheduler does: a task that could not schedule its own work (the system is shutting
                // down) ends quietly, instead of reaching the dispatcher as an uncaught error.
                cancelled = true;
                return;
            } catch (IllegalStateException e) {
                cancelled = true;
                if (e.getCause() instanceof SchedulerException) {
                    return; // the same, through scheduleOnce
                }
                throw e;
            } catch (RuntimeException e) {
                cancelled = true; // as Pekko's: a task that throws is not run again
                throw e;
            }
            // Fixed rate, but a run that fell far behind does not make up for the missed ones in a burst.
            next(Math.max(dueAt + interval, System.nanoTime()));
        }

        private void cancelNext() {
            ScheduledFuture<?> scheduled = next.get();
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }

        @Override
        public boolean cancel() {
            if (cancelled) {
                return false;
            }
            cancelled = true;
            cancelNext();
            cancelled(runnable);
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }
}
