package io.troupe.runtime.internal.node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.event.LoggingAdapter;
import org.jspecify.annotations.Nullable;
import scala.concurrent.ExecutionContext;

/**
 * The timer thread of a {@link QuietScheduler}: one thread that sleeps until the next timer is due. It only decides
 * when; a timer that falls due hands its task to the execution context it was scheduled with ({@link #handOff}), and
 * the tasks due together go to their contexts together, one hand-off per context: the periodic tasks due on the same
 * grid point wake each dispatcher once, not once each. Timers are scheduled from any thread; {@link #handOff} and
 * {@link #anticipate} run on the timer thread only.
 */
final class TimerThread extends ScheduledThreadPoolExecutor {
    /** The most tasks handed off together: under a backlog of due timers, the first do not wait for the last. */
    private static final int MAX_HAND_OFF = 64;

    private final LoggingAdapter log;
    /** The tasks that fell due, by execution context, until the timer hands them off; timer thread only. */
    private final Map<ExecutionContext, List<Runnable>> due = new LinkedHashMap<>();
    /** How many tasks {@link #due} holds; timer thread only. */
    private int waiting;
    /** The grid points at which the timer will wake for periodic tasks' next runs; timer thread only. */
    private final Set<Long> anticipated = new HashSet<>();

    TimerThread(ThreadFactory threadFactory, LoggingAdapter log) {
        super(1, threadFactory);
        this.log = log;
        // Cancelled timers leave the queue at once: conversations cancel most of theirs.
        setRemoveOnCancelPolicy(true);
        setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Called on the timer thread by a task that fell due: its work goes to {@code executor}. */
    void handOff(ExecutionContext executor, Runnable task) {
        due.computeIfAbsent(executor, key -> new ArrayList<>(4)).add(task);
        waiting++;
    }

    /**
     * Keeps the timer thread from being woken when a periodic task schedules its next run: Pekko's fixed-delay tasks
     * schedule each run from the dispatcher, after the timer has gone back to sleep, and a run due before the timer's
     * next wake-up would wake it. A placeholder due at the grid point of that next run, scheduled by the timer thread
     * itself, keeps the timer's wake-up there (one placeholder per grid point); the run, due just after it, comes
     * in without waking the timer. Timer thread only.
     */
    void anticipate(long gridPoint) {
        if (anticipated.add(gridPoint)) {
            schedule(() -> anticipated.remove(gridPoint), gridPoint - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
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
