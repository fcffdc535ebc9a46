package io.troupe.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Follows one run over server-sent events through one node, as a client would: it reconnects with
 * {@code Last-Event-ID} when the stream breaks, and keeps the position of every journal event it received, until the
 * stream's {@code end}.
 */
final class StreamFollower {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClusterNode node;
    private final String run;
    private final List<Long> positions = new ArrayList<>();
    private final CompletableFuture<List<Long>> ended = new CompletableFuture<>();
    private int reconnections;
    private volatile boolean connected;

    StreamFollower(ClusterNode node, String run) {
        this.node = node;
        this.run = run;
        Executors.newVirtualThreadPerTaskExecutor().submit(this::follow);
    }

    String run() {
        return run;
    }

    /** How many journal events have arrived. */
    synchronized int received() {
        return positions.size();
    }

    /** Whether the stream has been open at least once. */
    boolean connected() {
        return connected;
    }

    synchronized int reconnections() {
        return reconnections;
    }

    /** The positions of the run's journal events, in the order they came, once the stream ended. */
    List<Long> awaitEnd(Duration limit) throws Exception {
        try {
            return ended.get(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            synchronized (this) {
                throw new AssertionError("the stream of " + this + " did not end within " + limit.toSeconds() + " s: "
                        + positions.size() + " journal events came (last position "
                        + (positions.isEmpty() ? "none" : positions.getLast()) + "), after " + reconnections
                        + " reconnections");
            }
        }
    }

    private void follow() {
        String lastId = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Stream<String>> response =
                        node.stream("/api/runs/" + run + "/stream?tokens=false", lastId);
                if (response.statusCode() == 204) {
                    finish();
                    return;
                }
                if (response.statusCode() != 200) {
                    throw new IOException("stream answered " + response.statusCode());
                }
                connected = true;
                String event = null;
                String id = null;
                try (Stream<String> lines = response.body()) {
                    Iterator<String> it = lines.iterator();
                    while (it.hasNext()) {
                        String line = it.next();
                        if (line.startsWith("event: ")) {
                            event = line.substring(7);
                        } else if (line.startsWith("id: ")) {
                            id = line.substring(4);
                        } else if (line.startsWith("data: ") && "journal".equals(event)) {
                            JsonNode data = JSON.readTree(line.substring(6));
                            if (data.path("run").asText().equals(run)) {
                                synchronized (this) {
                                    positions.add(data.path("seq").asLong());
                                }
                            }
                        } else if (line.isEmpty()) {
                            if ("end".equals(event)) {
                                finish();
                                return;
                            }
                            if (id != null) {
                                lastId = id;
                            }
                            event = null;
                            id = null;
                        }
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // the connection broke (the node went away or restarts): reconnect from the last event
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ended.completeExceptionally(e);
                return;
            }
            synchronized (this) {
                reconnections++;
            }
            pause();
        }
        ended.completeExceptionally(new AssertionError("the stream of " + run + " never ended"));
    }

    private synchronized void finish() {
        ended.complete(List.copyOf(positions));
    }

    private static void pause() {
        try {
            Thread.sleep(500); // a client's reconnection delay, as EventSource's retry
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return run + " via " + node;
    }

    /** The follower's node. */
    @Nullable
    ClusterNode node() {
        return node;
    }
}
