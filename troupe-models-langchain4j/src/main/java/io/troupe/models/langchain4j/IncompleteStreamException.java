package io.troupe.models.langchain4j;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * An OpenAI-compatible chat-completions stream that ended without its end marker ({@code data: [DONE]}): the server
 * closed it part-way, or answered the streaming request with something that is not a stream at all (a JSON body, an
 * HTML error page). Without this check LangChain4j would take whatever had arrived, possibly nothing, as the whole
 * answer. {@link ErrorMapper} turns it into a model failure that says which.
 */
final class IncompleteStreamException extends IOException {
    private static final long serialVersionUID = 1L;

    private final @Nullable String contentType;
    private final boolean anyEvent;

    IncompleteStreamException(@Nullable String contentType, boolean anyEvent) {
        super("the chat-completions stream ended before data: [DONE] (Content-Type " + contentType + ", "
                + (anyEvent ? "some" : "no") + " events)");
        this.contentType = contentType;
        this.anyEvent = anyEvent;
    }

    /** Whether the server answered with a stream at all: {@code text/event-stream} and at least one event. */
    boolean streamed() {
        return anyEvent
                && contentType != null
                && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("text/event-stream");
    }

    /** The response's {@code Content-Type}, or null if it had none. */
    @Nullable
    String contentType() {
        return contentType;
    }
}
