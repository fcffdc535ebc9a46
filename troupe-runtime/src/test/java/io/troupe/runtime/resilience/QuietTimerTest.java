package io.troupe.runtime.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QuietTimerTest {
    /** Runs tasks on the timer's thread, so that they are recorded in the order they fell due. */
    private final QuietTimer timer = new QuietTimer("quiet-timer-test", Runnable::run);

    private final BlockingQueue<String> fired = new LinkedBlockingQueue<>();

    private String next() throws InterruptedException {
        String name = fired.poll(10, TimeUnit.SECONDS);
        assertThat(name).as("a timer fired within 10 s").isNotNull();
        return name;
    }

    @Test
    void timers_fireInTheOrderTheyFallDue() throws InterruptedException {
        timer.schedule(Duration.ofMillis(60), () -> fired.add("60 ms"));
        timer.schedule(Duration.ofMillis(20), () -> fired.add("20 ms"));
        timer.schedule(Duration.ofMillis(40), () -> fired.add("40 ms"));
        timer.schedule(Duration.ZERO, () -> fired.add("now"));

        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            order.add(next());
        }

        assertThat(order).containsExactly("now", "20 ms", "40 ms", "60 ms");
    }

    @Test
    void aCancelledTimer_neverFires() throws InterruptedException {
        QuietTimer.Timer cancelled = timer.schedule(Duration.ofMillis(20), () -> fired.add("cancelled"));
        timer.schedule(Duration.ofMillis(80), () -> fired.add("kept"));
        cancelled.cancel();

        // The cancelled timer was due first, on the same thread: had it fired, it would come first.
        assertThat(next()).isEqualTo("kept");
        assertThat(fired).isEmpty();
    }

    @Test
    void aTaskThatFails_stopsNoLaterTimer() throws InterruptedException {
        timer.schedule(Duration.ofMillis(5), () -> {
            throw new IllegalStateException("a failing task");
        });
        timer.schedule(Duration.ofMillis(20), () -> fired.add("after the failure"));

        assertThat(next()).isEqualTo("after the failure");
    }

    @Test
    void aTimerDueBeforeTheThreadsNextWakeUp_wakesIt() throws InterruptedException {
        timer.schedule(Duration.ofHours(1), () -> fired.add("in an hour"));
        timer.schedule(Duration.ofMillis(10), () -> fired.add("soon"));

        assertThat(next()).isEqualTo("soon");
    }

    @Test
    void timeoutsSetAndCancelledOneAfterAnother_wakeTheThreadOnlyForTheFirst() throws InterruptedException {
        // Let the thread wait for the first timer before the others come.
        timer.schedule(Duration.ZERO, () -> fired.add("started"));
        assertThat(next()).isEqualTo("started");
        long before = timer.wakeUps();

        for (int call = 0; call < 1_000; call++) {
            QuietTimer.Timer timeout = timer.schedule(Duration.ofSeconds(60), () -> fired.add("timed out"));
            timeout.cancel();
        }
        timer.schedule(Duration.ofMillis(1), () -> fired.add("last"));

        assertThat(next()).isEqualTo("last");
        // The first timeout woke the thread and set its next wake-up a minute away; the others, due later and
        // cancelled, did not wake it; the last timer, due before that wake-up, did (then its 1 ms passed). On a busy
        // machine the thread may find a timer already cancelled when it wakes, and wait again with nothing planned,
        // so that the next timer wakes it too (a CI run counted 7): a margin for that. One per timeout would be 1,000.
        assertThat(timer.wakeUps() - before).isLessThanOrEqualTo(50);
    }
}
