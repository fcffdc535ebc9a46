package io.troupe.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * End to end: many concurrent 3-agent sequential runs with a model that answers after a fixed latency without
 * blocking a thread. Reports the wall time from the first start to the last outcome against the ideal (3 × the
 * latency), per-run latency percentiles, and the peak heap.
 *
 * <p>Each round submits every run at once ({@code Troupe.submit} returns without waiting for the start to be
 * journaled) and waits for all outcomes. Warm-up rounds (of {@code warm-up runs} runs)
 * let the JIT compile the runtime and the cluster allocate its shards; the figures come from the measured round
 * that follows. Run it with {@code -Xmx2g} to check the heap target.
 *
 * <p>Arguments: {@code [memory|h2] [runs] [model latency ms] [warm-up rounds] [warm-up runs]}; defaults
 * {@code memory 10000 200 2 10000}.
 */
public final class EndToEndBench {
    private static final int STEPS = 3;
    private static final double TARGET_FACTOR = 1.25;
    private static final long HEAP_TARGET = 2L << 30;
    /** How long a round waits for its outcomes before it reports the runs without one. */
    private static final long OUTCOME_TIMEOUT_SECONDS = 120;

    private EndToEndBench() {}

    public static void main(String[] args) throws Exception {
        JournalKind journal = JournalKind.parse(args.length > 0 ? args[0] : "memory");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Duration latency = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 200);
        int rounds = 1 + (args.length > 3 ? Integer.parseInt(args[3]) : 2);
        int warmUpRuns = args.length > 4 ? Integer.parseInt(args[4]) : runs;
        String label = journal.label();
        double idealMillis = STEPS * latency.toMillis();
        TeamSpec team = BenchTeams.sequential3();
        HeapWatch heap = new HeapWatch();

        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("bench-model-timer").factory());
        try (JournalKind.Started started = journal.start(BenchModels.delayed(BenchModels.ANSWER, latency, timer))) {
            Troupe troupe = started.troupe();
            Round last = null;
            for (int round = 1; round <= rounds; round++) {
                System.gc();
                Thread.sleep(500);
                heap.reset();
                int size = round < rounds ? warmUpRuns : runs;
                last = round(troupe, team, size);
                heap.stop();
                Figures.info(String.format(
                        "%s %s %d/%d: %,d runs; started all in %.0f ms; wall %.0f ms (%.2f× ideal %.0f ms);"
                                + " run latency p50 %.0f, p99 %.0f, max %.0f ms; peak heap used %,d MB,"
                                + " max live after GC %,d MB, committed %,d MB; %d GCs, %d ms",
                        label,
                        round < rounds ? "warm-up round" : "measured round",
                        round,
                        rounds,
                        size,
                        last.submitMillis,
                        last.wallMillis,
                        last.wallMillis / idealMillis,
                        idealMillis,
                        last.percentile(0.50),
                        last.percentile(0.99),
                        last.percentile(1.0),
                        heap.peakUsed >> 20,
                        heap.peakAfterGc.get() >> 20,
                        heap.peakCommitted >> 20,
                        heap.gcCount(),
                        heap.gcMillis()));
                if (last.incomplete > 0) {
                    Figures.info(label + ": " + last.incomplete + " runs did not complete; the first: "
                            + last.firstIncomplete);
                }
            }
            if (last == null) {
                return;
            }
            String prefix = String.format("%,d runs, ", runs);
            double target = TARGET_FACTOR * idealMillis;
            Figures.print(
                    prefix + "wall, " + label,
                    last.wallMillis,
                    "ms",
                    String.format(
                            "ideal %.0f; %.2f× ideal; target ≤ %.0f ms: %s",
                            idealMillis,
                            last.wallMillis / idealMillis,
                            target,
                            Figures.verdict(last.wallMillis, target)));
            Figures.print(prefix + "run latency p99, " + label, last.percentile(0.99), "ms", "");
            Figures.print(
                    prefix + "runs not completed, " + label,
                    last.incomplete,
                    "runs",
                    last.incomplete == 0
                            ? ""
                            : last.firstIncomplete.lines().findFirst().orElse(""));
            Figures.print(
                    prefix + "peak heap used, " + label,
                    heap.peakUsed / (double) (1 << 20),
                    "MB",
                    "target ≤ 2048 MB: " + Figures.verdict(heap.peakUsed, HEAP_TARGET) + "; max live after GC "
                            + (heap.peakAfterGc.get() >> 20) + " MB");
        } finally {
            timer.shutdownNow();
        }
    }

    /** Starts {@code runs} runs at once and waits for every outcome. */
    private static Round round(Troupe troupe, TeamSpec team, int runs) throws InterruptedException {
        long[] ends = new long[runs];
        long[] starts = new long[runs];
        AtomicLong incomplete = new AtomicLong();
        StringBuilder firstIncomplete = new StringBuilder();
        List<CompletableFuture<Void>> done = new ArrayList<>(runs);
        long t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            int index = i;
            starts[i] = System.nanoTime();
            // submit, not run: run waits until the start is journaled, which would start the runs one at a time.
            done.add(troupe.submit(team, BenchTeams.TASK, Map.of())
                    .outcome()
                    .toCompletableFuture()
                    .handle((outcome, failure) -> {
                        ends[index] = System.nanoTime();
                        if (failure != null || !(outcome instanceof Outcome.Completed)) {
                            if (incomplete.getAndIncrement() == 0) {
                                synchronized (firstIncomplete) {
                                    firstIncomplete.append(failure != null ? failure : outcome.describe());
                                }
                            }
                        }
                        return null;
                    }));
        }
        long submitted = System.nanoTime();
        long missing = 0;
        try {
            CompletableFuture.allOf(done.toArray(CompletableFuture<?>[]::new))
                    .get(OUTCOME_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            missing = done.stream().filter(future -> !future.isDone()).count();
        }
        long t1 = System.nanoTime();
        double[] latencies = new double[runs];
        for (int i = 0; i < runs; i++) {
            // A run with no outcome counts as lasting until the benchmark gave up on it.
            latencies[i] = ((ends[i] != 0 ? ends[i] : t1) - starts[i]) / 1e6;
        }
        Arrays.sort(latencies);
        synchronized (firstIncomplete) {
            String firstProblem = missing > 0
                    ? missing + " had no outcome after " + OUTCOME_TIMEOUT_SECONDS + " s; " + firstIncomplete
                    : firstIncomplete.toString();
            return new Round(
                    (submitted - t0) / 1e6, (t1 - t0) / 1e6, latencies, incomplete.get() + missing, firstProblem);
        }
    }

    private record Round(
            double submitMillis, double wallMillis, double[] latencies, long incomplete, String firstIncomplete) {
        double percentile(double p) {
            int index = (int) Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1);
            return latencies[Math.max(0, index)];
        }
    }

    /**
     * Samples heap use every few milliseconds and records the heap left after each garbage collection (the live
     * set, roughly).
     */
    private static final class HeapWatch {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final AtomicLong peakAfterGc = new AtomicLong();
        private volatile boolean sampling;
        private volatile long peakUsed;
        private volatile long peakCommitted;
        private long gcCountAtReset;
        private long gcMillisAtReset;
        private long gcCountAtStop;
        private long gcMillisAtStop;
        private Thread sampler = new Thread(() -> {});

        HeapWatch() {
            NotificationListener listener = (notification, handback) -> {
                if (!sampling
                        || !notification
                                .getType()
                                .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                }
                GarbageCollectionNotificationInfo info =
                        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                        .mapToLong(MemoryUsage::getUsed)
                        .sum();
                peakAfterGc.accumulateAndGet(after, Math::max);
            };
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
            }
        }

        void reset() {
            peakUsed = 0;
            peakCommitted = 0;
            peakAfterGc.set(0);
            gcCountAtReset = totalGcCount();
            gcMillisAtReset = totalGcMillis();
            sampling = true;
            sampler = Thread.ofPlatform().daemon().name("bench-heap-sampler").start(() -> {
                while (sampling) {
                    MemoryUsage usage = memory.getHeapMemoryUsage();
                    peakUsed = Math.max(peakUsed, usage.getUsed());
                    peakCommitted = Math.max(peakCommitted, usage.getCommitted());
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        void stop() throws InterruptedException {
            sampling = false;
            sampler.join();
            gcCountAtStop = totalGcCount();
            gcMillisAtStop = totalGcMillis();
        }

        long gcCount() {
            return gcCountAtStop - gcCountAtReset;
        }

        long gcMillis() {
            return gcMillisAtStop - gcMillisAtReset;
        }

        private static long totalGcCount() {
            return ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(gc -> Math.max(0, gc.getCollectionCount()))
                    .sum();
        }

        private static long totalGcMillis() {
            return ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(gc -> Math.max(0, gc.getCollectionTime()))
                    .sum();
        }
    }
}
