package io.troupe.runtime.internal.node;

import com.typesafe.config.Config;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Delayed;
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
import org.jspecify.annotations.Nullable;
import scala.concurrent.ExecutionContext;
import scala.concurrent.duration.FiniteDuration;

/**
 * Pekko's scheduler for a Troupe node: one timer thread that sleeps until the next task is due, instead of Pekko's
 * default scheduler, whose thread wakes every tick (10 ms) whether or not anything is due. An idle runtime then
 * costs nothing between its few periodic tasks, and one-off timers are precise to the millisecond.
 *
 * <p>Periodic tasks (Pekko's fixed-delay and fixed-rate tasks: cluster gossip and heartbeats, sharding retries,
 * distributed-data ticks, stream timers) run on a shared grid, so that an idle node wakes once for all of those due
 * together instead of once for each: a task whose delay is a whole number of seconds runs on whole seconds of this
 * scheduler's clock, one of a whole number of 100 ms on whole 100 ms, and so on down to 10 ms. Its period is kept
 * exactly; its first run may come up to one grid step later than asked, and each run starts its delay after the
 * last one was due (the grid tolerates a late start of a tenth of a step, instead of slipping a step).
 *
 * <p>Like the default, it only decides when: each task runs on the execution context it was scheduled with. Tasks
 * that must run at shutdown ({@link Scheduler.TaskRunOnClose}) run when the actor system closes the scheduler.
 * Configured as {@code pekko.scheduler.implementation} in Troupe's defaults. Thread-safe.
 */
public final class QuietScheduler implements Scheduler, Closeable {
    /** How long after its grid point a periodic task is due: after the timer's anticipation of it. */
    private static final long GRID_LAG = TimeUnit.MICROSECONDS.toNanos(1);
    /** How soon periodic tasks run once the scheduler {@linkplain #hurry() hurries}. */
    private static final long HURRIED = TimeUnit.MILLISECONDS.toNanos(10);
    /** The grid's steps, coarsest first. */
    private static final long[] GRID_STEPS = {
        TimeUnit.SECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(10)
    };

    private final Timer timer;
    private final LoggingAdapter log;
    /** The grid's origin on {@link System#nanoTime()}'s clock. */
    private final long origin = System.nanoTime();
    /** The grid points at which the timer will wake for periodic tasks' next runs; timer thread only. */
    private final Set<Long> anticipated = new HashSet<>();
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
        this.timer = new Timer(threadFactory, log);
        // Cancelled timers leave the queue at once: conversations cancel most of theirs.
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
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
        long step = periodic && !hurried ? gridStep(nanos) : 0;
        // A periodic run is due just after its grid point, so that the timer's anticipation of it comes first.
        long dueAt = step == 0 ? now + nanos : onGrid(now + nanos, step) + GRID_LAG;
        long nextGridPoint = dueAt - GRID_LAG + nanos;
        Once once = new Once(runnable, periodic);
        try {
            once.start(
                    () -> {
                        runOnClose.remove(runnable);
                        periodicRuns.remove(once);
                        if (step != 0) {
                            anticipate(nextGridPoint);
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

    /** At a fixed rate, as Pekko's deprecated {@code schedule} promises: each run is scheduled from the last due time. */
    @Override
    public Cancellable schedule(
            FiniteDuration initialDelay, FiniteDuration interval, Runnable runnable, ExecutionContext executor) {
        if (interval.toNanos() <= 0) {
            throw new IllegalArgumentException("a repeated task needs a positive interval, got " + interval);
        }
        Repeated task = new Repeated(runnable, interval.toNanos(), executor);
        repeated.add(task);
        long initial = Math.max(0, initialDelay.toNanos());
        task.next(onGrid(System.nanoTime() + initial, gridStep(initial)));
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
     * Keeps the timer thread from being woken when a periodic task schedules its next run: Pekko's fixed-delay tasks
     * schedule each run from the dispatcher, after the timer has gone back to sleep, and a run due before the timer's
     * next wake-up would wake it. A placeholder due at the grid point of that next run, scheduled by the timer thread
     * itself, keeps the timer's wake-up there (one placeholder per grid point); the run, due just after it, comes
     * in without waking the timer. Timer thread only.
     */
    private void anticipate(long gridPoint) {
        if (anticipated.add(gridPoint)) {
            timer.schedule(() -> anticipated.remove(gridPoint), gridPoint - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Whether a task is one run of a periodic task: Pekko's fixed-delay tasks schedule each run with {@link
     * #scheduleOnce} as a {@link SchedulerTask} (the only one-off {@code SchedulerTask}s Pekko makes).
     */
    private static boolean isPeriodicStep(Runnable runnable) {
        return runnable instanceof SchedulerTask && !(runnable instanceof Scheduler.TaskRunOnClose);
    }

    /** The step of the grid that a periodic task with {@code delay} runs on: the coarsest that divides it, or 0. */
    private static long gridStep(long delay) {
        for (long step : GRID_STEPS) {
            if (delay >= step && delay % step == 0) {
                return step;
            }
        }
        return 0;
    }

    /**
     * When a periodic task due at {@code dueAt} (on {@link System#nanoTime()}'s clock) runs on a grid with {@code
     * step}: at the first grid point not before a tenth of a step before it is due; at {@code dueAt} for step 0.
     */
    long onGrid(long dueAt, long step) {
        if (step == 0) {
            return dueAt;
        }
        return origin + Math.ceilDiv(dueAt - step / 10 - origin, step) * step;
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

    /**
     * The timer thread. It hands the tasks due together to their execution contexts together, one hand-off per
     * context: the periodic tasks due on the same grid point wake each dispatcher once, not once each.
     */
    private static final class Timer extends ScheduledThreadPoolExecutor {
        /** The most tasks handed off together: under a backlog of due timers, the first do not wait for the last. */
        private static final int MAX_HAND_OFF = 64;

        private final LoggingAdapter log;
        /** The tasks that fell due, by execution context, until the timer hands them off; timer thread only. */
        private final Map<ExecutionContext, List<Runnable>> due = new LinkedHashMap<>();
        /** How many tasks {@link #due} holds; timer thread only. */
        private int waiting;

        Timer(ThreadFactory threadFactory, LoggingAdapter log) {
            super(1, threadFactory);
            this.log = log;
        }

        /** Called on the timer thread by a task that fell due: its work goes to {@code executor}. */
        void handOff(ExecutionContext executor, Runnable task) {
            due.computeIfAbsent(executor, key -> new ArrayList<>(4)).add(task);
            waiting++;
        }

        /** After each timer task: once no other is due now, the tasks that fell due go to their contexts. */
        @Override
        protected void afterExecute(Runnable task, @Nullable Throwable failure) {
            if (due.isEmpty()) {
                return;
            }
            if (waiting < MAX_HAND_OFF
                    && getQueue().peek() instanceof Delayed next
                    && next.getDelay(TimeUnit.NANOSECONDS) <= 0) {
                return; // the timer runs the next one at once: hand both off together
            }
            for (Map.Entry<ExecutionContext, List<Runnable>> entry : due.entrySet()) {
                ExecutionContext executor = entry.getKey();
                List<Runnable> tasks = entry.getValue();
                try {
                    executor.execute(tasks.size() == 1 ? tasks.get(0) : () -> runAll(executor, tasks));
                } catch (RuntimeException e) {
                    log.error(e, "a due timer task could not be handed to its dispatcher");
                }
            }
            due.clear();
            waiting = 0;
        }

        private static void runAll(ExecutionContext executor, List<Runnable> tasks) {
            for (Runnable task : tasks) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    executor.reportFailure(e);
                }
            }
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
            next(dueAt + interval >= now ? dueAt + interval : onGrid(now, gridStep(interval)));
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
