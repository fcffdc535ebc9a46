package io.troupe.api.model;

import io.troupe.api.Checks;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Where a model call comes from: the run and the journal step that requested it. The runtime makes it {@link
 * #current()} on the calling thread while {@link LanguageModel#generate} runs its synchronous part, so that a model
 * wrapper can tell calls apart without looking at their content: two runs of one spec send equal requests. Tracing
 * uses it to give an HTTP call the W3C {@code traceparent} of its {@code chat} span.
 *
 * @param conversationId the run whose agent calls the model
 * @param parentConversationId the run whose member that run answers for, or null for a top-level run
 * @param step the journal step of the call's {@code LlmRequested}
 * @param agentId the agent that calls the model
 */
public record CallOrigin(String conversationId, @Nullable String parentConversationId, int step, String agentId) {
    // Thread-confined context, like OpenTelemetry's Context: set and restored around one synchronous call.
    private static final ThreadLocal<@Nullable CallOrigin> CURRENT = new ThreadLocal<>();

    public CallOrigin {
        Checks.notBlank(conversationId, "CallOrigin conversationId");
        Checks.notBlank(agentId, "CallOrigin agentId");
        if (step < 0) {
            throw new IllegalArgumentException("CallOrigin step must not be negative, got " + step);
        }
    }

    /** The origin of the model call that this thread is making, or null outside one. */
    public static @Nullable CallOrigin current() {
        return CURRENT.get();
    }

    /** Runs {@code call} with this origin {@link #current()} on this thread, and restores the previous one after. */
    public <T> T run(Supplier<T> call) {
        CallOrigin previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return call.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
