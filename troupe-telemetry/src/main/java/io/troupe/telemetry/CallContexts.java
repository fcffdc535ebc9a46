package io.troupe.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.troupe.api.model.ModelRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The trace contexts of model calls in flight, by request: {@link RunSpans} adds one when it sees an {@code
 * LlmRequested}, and {@link TracedModel} looks its request up. The runtime journals {@code LlmRequested} before it
 * calls the model but delivers it to subscribers asynchronously, so a lookup waits for it, at most {@link #WAIT}, and
 * only while some followed run is unfinished. Thread-safe.
 */
final class CallContexts {
    /** How long a model call waits for its {@code LlmRequested} to reach the follower. */
    static final Duration WAIT = Duration.ofMillis(250);

    private final Map<ModelRequest, CompletableFuture<@Nullable Context>> calls = new ConcurrentHashMap<>();
    private final AtomicInteger following = new AtomicInteger();
    private volatile Duration always = Duration.ZERO;

    /** Makes every call wait up to {@code wait} for its context, whether or not a run is followed yet. */
    void always(Duration wait) {
        this.always = wait;
    }

    void follow() {
        following.incrementAndGet();
    }

    void unfollow() {
        following.decrementAndGet();
    }

    /** The {@code chat} span of {@code request} was started. */
    void started(ModelRequest request, Span chat) {
        future(request).complete(Context.root().with(chat));
    }

    /** The call of {@code request} ended: forget it. */
    void ended(ModelRequest request) {
        calls.remove(request);
    }

    /** The context to call with, or null (at once when no run is followed, else after at most {@link #WAIT}). */
    CompletionStage<@Nullable Context> contextOf(ModelRequest request) {
        Duration wait = always.isZero() ? WAIT : always;
        if (always.isZero() && following.get() <= 0 && !calls.containsKey(request)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<@Nullable Context> future = future(request);
        return future.copy()
                .completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((context, e) -> {
                    if (context == null) {
                        calls.remove(request, future);
                    }
                });
    }

    private CompletableFuture<@Nullable Context> future(ModelRequest request) {
        return calls.computeIfAbsent(request, r -> new CompletableFuture<>());
    }
}
