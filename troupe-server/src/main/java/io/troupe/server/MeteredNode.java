package io.troupe.server;

import io.javalin.http.Context;
import io.troupe.api.run.PendingApproval;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.RunSummary;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.ClusterStatus;
import io.troupe.runtime.NodeHealth;
import io.troupe.runtime.TroupeNode;
import io.troupe.telemetry.Telemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's node, with every run it starts followed by {@link Telemetry}: its spans (when OTLP export is on) and
 * its metrics, which {@code GET /metrics} shows. Runs resumed when the server starts are followed through {@link
 * #resume}, without counting again what they did before. Telemetry exports over OTLP as the OpenTelemetry
 * environment variables say ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, ...); without them it only keeps the meters.
 * Everything else is the node's own. Thread-safe.
 */
final class MeteredNode implements TroupeNode {
    private static final Logger LOG = LoggerFactory.getLogger(MeteredNode.class);

    private final TroupeNode node;
    private final Telemetry telemetry;
    private final Set<String> followed = ConcurrentHashMap.newKeySet();

    MeteredNode(TroupeNode node, Telemetry telemetry) {
        this.node = node;
        this.telemetry = telemetry;
    }

    /**
     * Resumes the unfinished top-level run {@code conversationId}, which the previous server left, and follows it.
     * Attaching wakes the run; its events then come again from the first, so its transcript and its child runs' are
     * read before: the spans of what it did before get the journal's times, and its metrics count only what it does
     * from now on (the previous server counted the rest).
     */
    RunHandle resume(String conversationId) {
        List<Transcript> history = List.of();
        try {
            Transcript run = node.replay(conversationId).toCompletableFuture().get(60, TimeUnit.SECONDS);
            history = new ArrayList<>(Telemetry.childRuns(node, run, Duration.ofSeconds(60)));
            history.add(run);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn(
                    "Run {}: its journal could not be read before it resumed ({}); its metrics count its earlier"
                            + " steps again",
                    conversationId,
                    e.getCause() == null ? e.toString() : e.getCause().getMessage());
        }
        RunHandle run = node.attach(conversationId);
        if (followed.add(conversationId)) {
            telemetry.resume(run, history).whenComplete((done, failure) -> followed.remove(conversationId));
        }
        return run;
    }

    private RunHandle follow(RunHandle run, Instant submitted) {
        if (followed.add(run.conversationId())) {
            telemetry.follow(run, submitted).whenComplete((done, failure) -> followed.remove(run.conversationId()));
        }
        return run;
    }

    /**
     * Starts the run as {@link TroupeNode#run} does, with its model calls streaming from the first: a client of the
     * API asks for the run's stream only after the run has started, and a call streams only if someone subscribed
     * before it began.
     */
    @Override
    public RunHandle run(TeamSpec team, String task, Map<String, String> metadata) {
        RunHandle run = submit(team, task, metadata);
        try {
            run.started().toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted", "Interrupted while starting run " + run.conversationId());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("Run " + run.conversationId() + " could not start", e.getCause());
        } catch (TimeoutException e) {
            throw new ApiException(
                    503,
                    "journal_unavailable",
                    "Run " + run.conversationId() + " was not journaled within " + START_TIMEOUT.toSeconds()
                            + " s; the journal may be overloaded or unreachable: try again");
        }
        return run;
    }

    @Override
    public RunHandle submit(TeamSpec team, String task, Map<String, String> metadata) {
        Instant submitted = Instant.now();
        return follow(node.submit(team, task, metadata, new Streaming()), submitted);
    }

    /** How long {@link #run} waits for a run's start to be journaled, as the node's own {@code run} does. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** A subscriber that keeps a run's model calls streaming for the clients that will ask for its tokens. */
    private static final class Streaming implements Flow.Subscriber<RunEvent> {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(RunEvent item) {}

        @Override
        public void onError(Throwable throwable) {}

        @Override
        public void onComplete() {}
    }

    @Override
    public RunHandle attach(String conversationId) {
        return node.attach(conversationId);
    }

    @Override
    public CompletionStage<Transcript> replay(String conversationId) {
        return node.replay(conversationId);
    }

    @Override
    public List<RunSummary> runs() {
        return node.runs();
    }

    @Override
    public List<RunSummary> runs(java.util.function.Predicate<RunSummary> where, int limit) {
        return node.runs(where, limit);
    }

    @Override
    public List<PendingApproval> approvals() {
        return node.approvals();
    }

    @Override
    public void approve(String conversationId, String key, String by, String note) {
        node.approve(conversationId, key, by, note);
    }

    @Override
    public void deny(String conversationId, String key, String by, String note) {
        node.deny(conversationId, key, by, note);
    }

    @Override
    public NodeHealth health(Duration timeout) {
        return node.health(timeout);
    }

    @Override
    public String address() {
        return node.address();
    }

    @Override
    public CompletionStage<ClusterStatus> clusterStatus(Duration timeout) {
        return node.clusterStatus(timeout);
    }

    @Override
    public CompletionStage<String> stopped() {
        return node.stopped();
    }

    /** {@code GET /metrics}: the meters of the runs this server follows, as Prometheus text. */
    void scrape(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(telemetry.scrape());
    }

    /** Closes the node, then flushes and closes the telemetry. */
    @Override
    public void close() {
        try {
            node.close();
        } finally {
            telemetry.close();
        }
    }
}
