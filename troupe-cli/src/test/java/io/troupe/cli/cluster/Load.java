package io.troupe.cli.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Keeps a number of pipeline runs in flight through the nodes that a supplier names (round robin), starting new runs
 * as others finish, until stopped: a steady load across node failures. A start that a node refuses or drops (it is
 * going away) is tried on the next node.
 */
final class Load implements AutoCloseable {
    private final ClusterFixture cluster;
    private final int inFlight;
    private final Supplier<List<ClusterNode>> via;
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Counted down when the load stops: the pauses below end at once then. */
    private final CountDownLatch stopped = new CountDownLatch(1);

    private final List<String> started = new ArrayList<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Future<?> loop;
    private int turn;

    Load(ClusterFixture cluster, int inFlight, Supplier<List<ClusterNode>> via) {
        this.cluster = cluster;
        this.inFlight = inFlight;
        this.via = via;
        this.loop = threads.submit(this::run);
    }

    private void run() {
        Set<String> open = new LinkedHashSet<>();
        try {
            while (running.get()) {
                List<Future<String>> starts = new ArrayList<>();
                // At most eight starts at a time, as a handful of clients would send them.
                for (int i = open.size(); i < inFlight && starts.size() < 8; i++) {
                    starts.add(threads.submit(this::start));
                }
                for (Future<String> start : starts) {
                    String id = start.get();
                    if (id != null) {
                        open.add(id);
                    }
                }
                open.removeAll(cluster.poll(open, via.get()));
                if (open.size() >= inFlight) {
                    stopped.await(1, TimeUnit.SECONDS); // the load's pace: look for finished runs once a second
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("the load stopped: " + e, e);
        }
    }

    private String start() throws InterruptedException {
        long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (running.get() && System.nanoTime() < end) {
            List<ClusterNode> nodes = via.get();
            ClusterNode node;
            synchronized (this) {
                node = nodes.get(turn++ % nodes.size());
            }
            try {
                String id = cluster.startRun(node);
                synchronized (this) {
                    started.add(id);
                }
                return id;
            } catch (IOException e) {
                stopped.await(200, TimeUnit.MILLISECONDS); // that node is going away; try the next one
            }
        }
        return null;
    }

    /** Stops starting runs; the ids of every run started. */
    List<String> stop() throws Exception {
        running.set(false);
        stopped.countDown();
        loop.get();
        synchronized (this) {
            return List.copyOf(started);
        }
    }

    /** How many runs were started so far. */
    synchronized int started() {
        return started.size();
    }

    @Override
    public void close() {
        running.set(false);
        stopped.countDown();
        threads.shutdownNow();
    }
}
