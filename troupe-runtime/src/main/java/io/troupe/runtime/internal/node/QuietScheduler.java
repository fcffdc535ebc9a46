package io.troupe.runtime.internal.node;

import com.typesafe.config.Config;
import java.io.Closeable;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.actor.SchedulerException;
import org.apache.pekko.actor.SchedulerTask;
import org.apache.pekko.event.LoggingAdapter;
import org.jspecify.annotations.Nullable;
import scala.concurrent.ExecutionContext;
import scala.concurrent.duration.FiniteDuration;

/**
 * Pekko's scheduler for a Troupe node: one timer thread that sleeps until the next task is due, instead of Pekko's
 * default scheduler, whose thread wakes every tick (10 ms) whether or not anything is due. An idle runtime then
 * costs nothing between its few periodic tasks, and one-off timers are precise to the millisecond.
 *
 * <p>Periodic tasks (Pekko's fixed-delay and fixed-rate tasks: cluster gossip and heartbeats, sharding retries,
 * distributed-data ticks, stream timers) run on a shared {@link Grid}, so that an idle node wakes once for all of
 * those due together instead of once for each. Their period is kept exactly; a first run may come up to one grid
 * step later than asked, and each run starts its delay after the last one was due.
 *
 * <p>Like the default, it only decides when: each task runs on the execution context it was scheduled with, handed
 * over by the {@link TimerThread}. Tasks that must run at shutdown ({@link Scheduler.TaskRunOnClose}) run when the
 * actor system closes the scheduler. This class is Pekko's {@link Scheduler} API over that thread: one-off and
 * repeated tasks, their cancellation, {@link #hurry()} and closing. Configured as {@code
 * pekko.scheduler.implementation} in Troupe's defaults. Thread-safe.
 */
public final class QuietScheduler implements Scheduler, Closeable {
    /** How long after its grid point a periodic task is due: after the timer's anticipation of it. */
    private static final long GRID_LAG = TimeUnit.MICROSECONDS.toNanos(1);
    /** How soon periodic tasks run once the scheduler {@linkplain #hurry() hurries}. */
    private static final long HURRIED = TimeUnit.MILLISECONDS.toNanos(10);

    private final TimerThread timer;
    private final LoggingAdapter log;
    private final Grid grid = new Grid();
    /** Scheduled tasks that must run when the scheduler closes, if they have not run by then. */
    private final Set<Runnable> runOnClose = ConcurrentHashMap.newKeySet();
    /** Periodic tasks' next runs that have not run yet, for {@link #hurry()}. */
    private final Set<Once> periodicRuns = ConcurrentHashMap.newKeySet();
    /** Fixed-rate tasks not cancelled, for {@link #hurry()}. */
    private final Set<Repeated> repeated = ConcurrentHashMap.newKeySet();
    /** Whether periodic tasks run every {@link #HURRIED}: see {@link #hurry()}. */
    private volatile boolean hurried;

    /** The constructor Pekko calls: {@code (config, log, threadFactory)}. */
    public QuietScheduler(Config config, LoggingAdapter log, ThreadFactory threadFactory) {
        this.log = log;
        this.timer = new TimerThread(threadFactory, log);
    }

    @Override
    public Cancellable scheduleOnce(FiniteDuration delay, Runnable runnable, ExecutionContext executor) {
        if (runnable instanceof Scheduler.TaskRunOnClose) {
            runOnClose.add(runnable);
        }
        long nanos = Math.max(0, delay.toNanos());
        long now = System.nanoTime();
        boolean periodic = isPeriodicStep(runnable);
        if (periodic && hurried) {
            nanos = Math.min(nanos, HURRIED);
        }
        long step = periodic && !hurried ? Grid.step(nanos) : 0;
        // A periodic run is due just after its grid point, so that the timer's anticipation of it comes first.
        long dueAt = step == 0 ? now + nanos : grid.point(now + nanos, step) + GRID_LAG;
        long nextGridPoint = dueAt - GRID_LAG + nanos;
        Once once = new Once(runnable, periodic);
        try {
            once.start(
                    () -> {
                        runOnClose.remove(runnable);
                        periodicRuns.remove(once);
                        if (step != 0) {
                            timer.anticipate(nextGridPoint);
                        }
                        timer.handOff(executor, runnable);
                    },
                    Math.max(0, dueAt - now));
            return once;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            periodicRuns.remove(once);
            // As Pekko's LightArrayRevolverScheduler.scheduleOnce throws: an IllegalStateException caused by a
            // SchedulerException. Pekko's callers expect exactly that: a dispatcher shutting down catches the
            // IllegalStateException and stops its threads at once (with anything else its threads stay, and a
            // program that closed its runtime does not exit).
            String message = "cannot schedule a task: the scheduler is closed";
            throw new IllegalStateException(message, new SchedulerException(message));
        }
    }

    /**
     * At a fixed rate, as Pekko's deprecated {@code schedule} promises: each run is scheduled from the last due time.
     */
    @Override
    public Cancellable schedule(
            FiniteDuration initialDelay, FiniteDuration interval, Runnable runnable, ExecutionContext executor) {
        if (interval.toNanos() <= 0) {
            throw new IllegalArgumentException("a repeated task needs a positive interval, got " + interval);
        }
        Repeated task = new Repeated(runnable, interval.toNanos(), executor);
        repeated.add(task);
        long initial = Math.max(0, initialDelay.toNanos());
        task.next(grid.point(System.nanoTime() + initial, Grid.step(initial)));
        return task;
    }

    /**
     * Runs every periodic task now, and from then on every 10 ms at most: for a node that closes
     * alone, whose leaving waits for its cluster's periodic leader actions (every second), not for other nodes. One-off
     * timers keep their delays. Cannot be undone.
     */
    public void hurry() {
        hurried = true;
        periodicRuns.forEach(Once::hurry);
        repeated.forEach(Repeated::hurry);
    }

    /**
     * Whether a task is one run of a periodic task: Pekko's fixed-delay tasks schedule each run with {@link
     * #scheduleOnce} as a {@link SchedulerTask} (the only one-off {@code SchedulerTask}s Pekko makes).
     */
    private static boolean isPeriodicStep(Runnable runnable) {
        return runnable instanceof SchedulerTask && !(runnable instanceof Scheduler.TaskRunOnClose);
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

    /** A task that runs once: a one-off timer, or one run of a periodic task. */
    private final class Once implements Cancellable {
        private final Runnable runnable;
        private final boolean periodic;
        /** What the timer runs when it is due. Guarded by this. */
        private @Nullable Runnable fire;
        /** Its timer. Guarded by this. */
        private @Nullable ScheduledFuture<?> future;

        Once(Runnable runnable, boolean periodic) {
            this.runnable = runnable;
            this.periodic = periodic;
        }

        /** Schedules {@code fire} in {@code nanos}. */
        synchronized void start(Runnable fire, long nanos) {
            this.fire = fire;
            if (periodic) {
                periodicRuns.add(this);
            }
            this.future = timer.schedule(fire, nanos, TimeUnit.NANOSECONDS);
        }

        /** Runs it now instead, unless it has run or been cancelled. */
        synchronized void hurry() {
            if (future != null && fire != null && future.cancel(false)) {
                try {
                    future = timer.schedule(fire, 0, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    periodicRuns.remove(this); // closed: it would not have run either
                }
            }
        }

        @Override
        public boolean cancel() {
            boolean cancelled;
            synchronized (this) {
                cancelled = future != null && future.cancel(false);
            }
            if (cancelled) {
                periodicRuns.remove(this);
                cancelled(runnable);
            }
            return cancelled;
        }

        @Override
        public synchronized boolean isCancelled() {
            return future != null && future.isCancelled();
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
            long due = hurried ? Math.min(dueAt, System.nanoTime() + HURRIED) : dueAt;
            try {
                next.set(timer.schedule(
                        () -> timer.handOff(executor, () -> run(due)),
                        Math.max(0, due - System.nanoTime()),
                        TimeUnit.NANOSECONDS));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                end(); // closed: a repeated task ends with the scheduler
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
                end();
                return;
            } catch (IllegalStateException e) {
                end();
                if (e.getCause() instanceof SchedulerException) {
                    return; // the same, through scheduleOnce
                }
                throw e;
            } catch (RuntimeException e) {
                end(); // as Pekko's: a task that throws is not run again
                throw e;
            }
            // Fixed rate, but a run that fell far behind does not make up for the missed ones in a burst.
            long now = System.nanoTime();
            next(dueAt + interval >= now ? dueAt + interval : grid.point(now, Grid.step(interval)));
        }

        /** Runs it now instead of at its next due time, unless it is running or has ended. */
        void hurry() {
            ScheduledFuture<?> scheduled = next.get();
            if (scheduled != null && scheduled.cancel(false)) {
                next(System.nanoTime());
            }
        }

        private void end() {
            cancelled = true;
            repeated.remove(this);
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
            end();
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
