package io.troupe.runtime.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.Journal;
import io.troupe.runtime.TroupeRuntime;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.Test;

/**
 * The in-memory journal is bounded: 100,000 finished runs leave it holding only the most recent ones, and the heap
 * it retains does not grow with the number of runs.
 */
class MemoryJournalBoundTest {
    private static final int KEEP = 500;
    private static final TeamSpec TEAM =
            TeamSpec.single(AgentSpec.of("clerk", "m", "You answer."), io.troupe.api.budget.Budget.DEFAULT);

    @Test
    void hundredThousandFinishedRuns_leaveTheRetainedSizeFlat() throws InterruptedException {
        ModelResponse answer = ModelResponse.text("Done.", Usage.of(3, 1));
        try (Troupe troupe = TroupeRuntime.builder()
                .journal(Journal.inMemory(KEEP, Duration.ofHours(1)))
                .config("pekko.loglevel = WARNING")
                .model("m", (request, tokens) -> CompletableFuture.completedFuture(answer))
                .start()) {
            MemoryStore store = MemoryStore.ID.get(Adapter.toClassic(((Node) troupe).system()));

            runs(troupe, 20_000);
            long eventsAt20k = store.retainedEvents();
            long heapAt20k = liveHeap();
            runs(troupe, 80_000);
            long eventsAt100k = store.retainedEvents();
            long heapAt100k = liveHeap();

            System.out.printf(
                    "retained after 20,000 runs: %d journal entries, %d MB live heap; after 100,000: %d entries, %d MB%n",
                    eventsAt20k, heapAt20k >> 20, eventsAt100k, heapAt100k >> 20);
            // Only the last KEEP finished runs are kept: the same number of events after 20,000 and 100,000 runs.
            assertThat(store.retainedRuns()).isEqualTo(KEEP);
            assertThat(eventsAt100k).isEqualTo(eventsAt20k);
            // An unbounded journal would hold 80,000 more runs here, several hundred MB; allow noise, not growth.
            assertThat(heapAt100k - heapAt20k).isLessThan(48L << 20);
            // The runs the store still holds are whole: the newest finished one replays.
            assertThat(troupe.runs()).hasSize(KEEP);
        }
    }

    @Test
    void inMemory_keepingNoRuns_isRefusedWithAHint() {
        assertThatThrownBy(() -> Journal.inMemory(0, Duration.ofMinutes(1)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("must keep at least 1 finished run, got 0");
        assertThatThrownBy(() -> Journal.inMemory(10, Duration.ZERO))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("for a positive time");
    }

    /** Runs {@code count} runs, at most 256 at a time, and checks that every one completed. */
    private static void runs(Troupe troupe, int count) throws InterruptedException {
        Semaphore slots = new Semaphore(256);
        AtomicLong completed = new AtomicLong();
        for (int i = 0; i < count; i++) {
            slots.acquire();
            troupe.submit(TEAM, "Task " + i, java.util.Map.of()).outcome().whenComplete((outcome, failure) -> {
                if (outcome instanceof Outcome.Completed) {
                    completed.incrementAndGet();
                }
                slots.release();
            });
        }
        assertThat(slots.tryAcquire(256, 120, TimeUnit.SECONDS)).isTrue();
        assertThat(completed.get()).isEqualTo(count);
    }

    /** The heap in use after garbage collection, roughly the live set. */
    private static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
