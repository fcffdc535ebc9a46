package io.troupe.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.actor.SchedulerException;
import org.apache.pekko.event.NoLogging$;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import scala.concurrent.ExecutionContext;
import scala.concurrent.duration.FiniteDuration;

class QuietSchedulerTest {
    private static final ExecutionContext DIRECT = ExecutionContext.fromExecutor(Runnable::run);

    private final QuietScheduler scheduler =
            new QuietScheduler(ConfigFactory.empty(), NoLogging$.MODULE$, runnable -> new Thread(runnable, "timer"));

    @AfterEach
    void close() {
        scheduler.close();
    }

    private static FiniteDuration millis(long millis) {
        return FiniteDuration.create(millis, TimeUnit.MILLISECONDS);
    }

    @Test
    void scheduleOnce_runsTheTaskOnceDue_andACancelledOneNever() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        List<String> runs = new CopyOnWriteArrayList<>();
        Cancellable cancelled = scheduler.scheduleOnce(millis(30_000), () -> runs.add("cancelled"), DIRECT);
        long start = System.nanoTime();
        scheduler.scheduleOnce(
                millis(50),
                () -> {
                    runs.add("due");
                    ran.countDown();
                },
                DIRECT);

        assertThat(cancelled.cancel()).isTrue();
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(50);
        assertThat(runs).containsExactly("due");
        assertThat(cancelled.isCancelled()).isTrue();
    }

    @Test
    void scheduleWithFixedDelay_repeatsUntilCancelled() throws InterruptedException {
        CountDownLatch three = new CountDownLatch(3);
        Cancellable repeated = scheduler.scheduleWithFixedDelay(millis(1), millis(5), three::countDown, DIRECT);

        assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(repeated.cancel()).isTrue();
        assertThat(repeated.cancel()).as("a second cancel").isFalse();
        assertThat(repeated.isCancelled()).isTrue();
    }

    @Test
    void close_runsTheTasksThatMustRunAtShutdown_thenRefusesNewOnesAsPekkoDoes() {
        List<String> runs = new CopyOnWriteArrayList<>();
        scheduler.scheduleOnce(millis(60_000), new OnClose(() -> runs.add("on close")), DIRECT);
        scheduler.scheduleOnce(millis(60_000), () -> runs.add("ordinary"), DIRECT);

        scheduler.close();

        assertThat(runs).containsExactly("on close");
        // Exactly what Pekko's LightArrayRevolverScheduler throws, which a dispatcher shutting down catches.
        assertThatThrownBy(() -> scheduler.scheduleOnce(millis(1), () -> {}, DIRECT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot schedule a task: the scheduler is closed")
                .hasCauseInstanceOf(SchedulerException.class);
    }

    @Test
    void aRepeatedTaskThatCannotScheduleItsWork_endsQuietly_asPekkosSchedulerDoes() throws InterruptedException {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        CountDownLatch ran = new CountDownLatch(1);
        List<String> runs = new CopyOnWriteArrayList<>();
        ExecutionContext reporting = ExecutionContext.fromExecutor(task -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                uncaught.add(e);
            }
        });
        Cancellable repeated = scheduler.scheduleAtFixedRate(
                millis(1),
                millis(1),
                () -> {
                    runs.add("run");
                    ran.countDown();
                    throw new SchedulerException("cannot enqueue: shutting down");
                },
                reporting);

        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        // One more interval's wait would show a second run; the task must be over once the first run returns.
        CountDownLatch later = new CountDownLatch(1);
        scheduler.scheduleOnce(millis(50), later::countDown, DIRECT);
        assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(uncaught).isEmpty();
        assertThat(runs).containsExactly("run");
        assertThat(repeated.isCancelled()).isTrue();
    }

    @Test
    void hurry_runsPeriodicTasksNowAndSoonAfter_whileOneOffTimersKeepTheirDelays() throws InterruptedException {
        CountDownLatch fixedDelay = new CountDownLatch(3);
        CountDownLatch fixedRate = new CountDownLatch(3);
        List<String> runs = new CopyOnWriteArrayList<>();
        // Periodic tasks a minute apart: without hurry neither would run a second time within the test's bound.
        Cancellable delayed =
                scheduler.scheduleWithFixedDelay(millis(60_000), millis(60_000), fixedDelay::countDown, DIRECT);
        Cancellable rated = scheduler.scheduleAtFixedRate(millis(60_000), millis(60_000), fixedRate::countDown, DIRECT);
        Cancellable oneOff = scheduler.scheduleOnce(millis(60_000), () -> runs.add("one-off"), DIRECT);

        scheduler.hurry();

        assertThat(fixedDelay.await(10, TimeUnit.SECONDS))
                .as("fixed delay: three runs")
                .isTrue();
        assertThat(fixedRate.await(10, TimeUnit.SECONDS))
                .as("fixed rate: three runs")
                .isTrue();
        assertThat(runs).as("a one-off timer is not brought forward").isEmpty();
        assertThat(delayed.cancel()).isTrue();
        assertThat(rated.cancel()).isTrue();
        assertThat(oneOff.cancel()).isTrue();
        assertThat(delayed.isCancelled()).isTrue();
    }

    @Test
    void periodicTasksWithTheSameDelay_runOnTheSameGridPoints_inOneHandOff() throws InterruptedException {
        AtomicInteger handOffs = new AtomicInteger();
        AtomicInteger current = new AtomicInteger();
        ExecutionContext recording = ExecutionContext.fromExecutor(task -> {
            current.set(handOffs.incrementAndGet());
            task.run();
        });
        List<Integer> first = new CopyOnWriteArrayList<>();
        List<Integer> second = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(2);
        // Different first delays, then every second: from the second run on, both are due on the same whole
        // seconds of the scheduler's grid, and go to their execution context together.
        Cancellable a = scheduler.scheduleWithFixedDelay(
                millis(130), millis(1000), () -> record(first, current.get(), done), recording);
        Cancellable b = scheduler.scheduleWithFixedDelay(
                millis(570), millis(1000), () -> record(second, current.get(), done), recording);

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        a.cancel();
        b.cancel();

        assertThat(first.get(0)).as("first runs, apart").isNotEqualTo(second.get(0));
        assertThat(first.subList(1, 3)).as("later runs, together").isEqualTo(second.subList(1, 3));
    }

    /** Records the hand-off of each of a task's first three runs. */
    private static void record(List<Integer> runs, int handOff, CountDownLatch done) {
        if (runs.size() < 3) {
            runs.add(handOff);
            if (runs.size() == 3) {
                done.countDown();
            }
        }
    }

    /** A task that Pekko asks to run when the scheduler closes, if it has not run by then. */
    private record OnClose(Runnable task) implements Runnable, Scheduler.TaskRunOnClose {
        @Override
        public void run() {
            task.run();
        }
    }
}
