package io.troupe.telemetry;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Trace and span ids derived from a run's id, so that every node that exports a run, and every replay of it, gives
 * the same ids: the trace id from the top-level run's id, each span's id from its run, its kind and its number (a
 * journal step, a turn). Child runs (members that are teams) share their top-level run's trace. Stateless.
 */
public final class TraceIds {
    private static final HexFormat HEX = HexFormat.of();

    private TraceIds() {}

    /** The trace id of the run whose top-level run is {@code rootConversationId}: 32 lowercase hex digits. */
    public static String traceId(String rootConversationId) {
        return nonZero(HEX.formatHex(digest("trace:" + rootConversationId), 0, 16));
    }

    /** The id of the span {@code kind}/{@code key} of run {@code conversationId}: 16 lowercase hex digits. */
    public static String spanId(String conversationId, String kind, String key) {
        return nonZero(HEX.formatHex(digest("span:" + conversationId + "/" + kind + "/" + key), 0, 8));
    }

    /** The span id of the {@code chat} span of journal step {@code step} of run {@code conversationId}. */
    public static String chatSpanId(String conversationId, int step) {
        return spanId(conversationId, "chat", Integer.toString(step));
    }

    /** The span id of a run's own {@code invoke_agent} span. */
    public static String runSpanId(String conversationId) {
        return spanId(conversationId, "run", "");
    }

    /** The top-level run of {@code conversationId}: child runs' ids are their parent's id, a dot and a step. */
    public static String root(String conversationId, @org.jspecify.annotations.Nullable String parentConversationId) {
        if (parentConversationId == null) {
            return conversationId;
        }
        String parent = parentConversationId;
        // A child's parent may itself be a child: strip ".step" suffixes that are numbers, as the runtime names them.
        while (true) {
            int dot = parent.lastIndexOf('.');
            if (dot <= 0
                    || !parent.substring(dot + 1).chars().allMatch(Character::isDigit)
                    || dot == parent.length() - 1) {
                return parent;
            }
            parent = parent.substring(0, dot);
        }
    }

    /** The W3C {@code traceparent} header of the {@code chat} span of {@code step}: the model call's parent. */
    public static String traceparent(String rootConversationId, String conversationId, int step) {
        return "00-" + traceId(rootConversationId) + "-" + chatSpanId(conversationId, step) + "-01";
    }

    /** A sampled remote span context for these ids. */
    static SpanContext context(String traceId, String spanId) {
        return SpanContext.createFromRemoteParent(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** All-zero ids are invalid in W3C trace context; the chance is negligible, but the ids must stay valid. */
    private static String nonZero(String hex) {
        return hex.chars().allMatch(c -> c == '0') ? hex.substring(0, hex.length() - 1) + "1" : hex;
    }
}
