package io.troupe.telemetry;

import io.opentelemetry.sdk.trace.IdGenerator;
import org.jspecify.annotations.Nullable;

/**
 * An {@link IdGenerator} that hands out the ids {@link RunSpans} derived from the journal: the next span is started
 * with {@link #next} set on the same thread, just before {@code startSpan()}. Spans started without ids set (by other
 * code sharing the tracer provider) get random ones.
 */
final class FixedIds implements IdGenerator {
    /** The trace and span id for the span being started on this thread. */
    private final ThreadLocal<String @Nullable []> next = new ThreadLocal<>();

    void next(String traceId, String spanId) {
        next.set(new String[] {traceId, spanId});
    }

    void clear() {
        next.remove();
    }

    @Override
    public String generateSpanId() {
        String[] ids = next.get();
        return ids == null ? IdGenerator.random().generateSpanId() : ids[1];
    }

    @Override
    public String generateTraceId() {
        String[] ids = next.get();
        return ids == null ? IdGenerator.random().generateTraceId() : ids[0];
    }
}
