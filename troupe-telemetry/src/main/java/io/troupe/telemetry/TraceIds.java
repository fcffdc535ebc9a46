package io.troupe.telemetry;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.util.HexFormat;

/**
 * Trace and span ids derived from a run's id, so that every node that exports a run, and every replay of it, gives
 * the same ids: the trace id from the top-level run's id, each span's id from its run, its kind and its number (a
 * journal step, a turn). Child runs (members that are teams) share their top-level run's trace. Stateless.
 *
 * <p>The ids are a stable 64-bit hash of those names (two independent ones for the 128 bits of a trace id): the same
 * on every JVM and every version that keeps this hash, cheap enough to be taken for every span of every run, and
 * spread like random ids. They are not secret: anyone who knows a run's id can compute its trace id.
 */
public final class TraceIds {
    private static final HexFormat HEX = HexFormat.of();
    private static final long TRACE_SEED_HIGH = 0x74726163652d6869L;
    private static final long TRACE_SEED_LOW = 0x74726163652d6c6fL;
    private static final long SPAN_SEED = 0x7370616e2d696473L;

    private TraceIds() {}

    /** The trace id of the run whose top-level run is {@code rootConversationId}: 32 lowercase hex digits. */
    public static String traceId(String rootConversationId) {
        long high = hash(TRACE_SEED_HIGH, rootConversationId);
        long low = hash(TRACE_SEED_LOW, rootConversationId);
        if (high == 0 && low == 0) {
            low = 1; // all-zero ids are invalid in W3C trace context
        }
        return HEX.toHexDigits(high) + HEX.toHexDigits(low);
    }

    /** The id of the span {@code kind}/{@code key} of run {@code conversationId}: 16 lowercase hex digits. */
    public static String spanId(String conversationId, String kind, String key) {
        return spanId(run(conversationId), kind, key);
    }

    /** The hash state of run {@code conversationId}'s span ids, for {@link #spanId(long, String, String)}. */
    static long run(String conversationId) {
        return mix(SPAN_SEED, conversationId);
    }

    /** {@link #spanId(String, String, String)} from the state {@link #run} gave for the run. */
    static String spanId(long run, String kind, String key) {
        return spanHex(mix(mix(run, kind), key));
    }

    /** {@link #spanId(String, String, String)} from the state {@link #run} gave, with the number in decimal. */
    static String spanId(long run, String kind, int number) {
        return spanHex(mix(mix(run, kind), number));
    }

    /** The span id of the {@code chat} span of journal step {@code step} of run {@code conversationId}. */
    public static String chatSpanId(String conversationId, int step) {
        return spanId(run(conversationId), "chat", step);
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

    /** A remote span context for these ids, sampled or not. */
    static SpanContext context(String traceId, String spanId, boolean sampled) {
        return SpanContext.createFromRemoteParent(
                traceId, spanId, sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
    }

    private static String spanHex(long state) {
        long id = finish(state);
        return HEX.toHexDigits(id == 0 ? 1 : id); // all-zero ids are invalid in W3C trace context
    }

    private static long hash(long seed, String text) {
        return finish(mix(seed, text));
    }

    /** Folds {@code text} and a separator into {@code state}: "a"+"bc" and "ab"+"c" give different states. */
    private static long mix(long state, String text) {
        long h = state;
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * 0x100000001b3L;
        }
        return (h ^ 0x2f) * 0x100000001b3L ^ text.length() * 0x9e3779b97f4a7c15L;
    }

    /** Folds the decimal digits of {@code number} as {@link #mix(long, String)} folds {@code Integer.toString}. */
    private static long mix(long state, int number) {
        if (number < 0) {
            return mix(state, Integer.toString(number));
        }
        int divisor = 1;
        int digits = 1;
        while (number / divisor >= 10) {
            divisor *= 10;
            digits++;
        }
        long h = state;
        for (; divisor > 0; divisor /= 10) {
            h = (h ^ ('0' + number / divisor % 10)) * 0x100000001b3L;
        }
        return (h ^ 0x2f) * 0x100000001b3L ^ digits * 0x9e3779b97f4a7c15L;
    }

    /** The finaliser of MurmurHash3 (fmix64): every input bit affects every output bit. */
    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
