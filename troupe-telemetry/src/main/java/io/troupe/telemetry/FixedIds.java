package io.troupe.telemetry;

import io.opentelemetry.sdk.trace.IdGenerator;
import org.jspecify.annotations.Nullable;

/**
 * An {@link IdGenerator} that hands out the ids {@link RunSpans} derived from the journal: the next span is started
 * with {@link #next} set on the same thread, just before {@code startSpan()}. Spans started without ids set (by other
 * code sharing the tracer provider) get random ones.
 */
final class FixedIds implements IdGenerator {
    /** The trace and span id for the span being started on this thread; one holder per thread, reused. */
    private final ThreadLocal<Next> next = ThreadLocal.withInitial(Next::new);

    void next(String traceId, String spanId) {
        Next ids = next.get();
        ids.traceId = traceId;
        ids.spanId = spanId;
    }

    void clear() {
        Next ids = next.get();
        ids.traceId = null;
        ids.spanId = null;
    }

    @Override
    public String generateSpanId() {
        String id = next.get().spanId;
        return id == null ? IdGenerator.random().generateSpanId() : id;
    }

    @Override
    public String generateTraceId() {
        String id = next.get().traceId;
        return id == null ? IdGenerator.random().generateTraceId() : id;
    }

    /** The ids set for the next span on one thread. */
    private static final class Next {
        @Nullable
        String traceId;

        @Nullable
        String spanId;
    }
}
