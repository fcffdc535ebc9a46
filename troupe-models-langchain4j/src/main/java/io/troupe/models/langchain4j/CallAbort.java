package io.troupe.models.langchain4j;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * How to stop one model call down to its HTTP connection: the exchange in flight is cancelled and a streamed body
 * closed, so that the connection is closed instead of left open for an answer nobody waits for.
 *
 * <p>LangChain4j calls the HTTP client on the thread that {@link LangChain4jModel} starts for the call, so the model
 * binds the call's {@code CallAbort} to that thread and the client registers the exchange with it. Thread-safe.
 */
final class CallAbort {
    /** The abort of the call running on this thread, bound by {@link LangChain4jModel} for the call's duration. */
    private static final ThreadLocal<@Nullable CallAbort> CURRENT = new ThreadLocal<>();

    private @Nullable CompletableFuture<?> exchange;
    private @Nullable InputStream body;
    private boolean aborted;

    /** Runs {@code call} on this thread with {@code abort} bound to it. */
    static void bound(CallAbort abort, Runnable call) {
        CURRENT.set(abort);
        try {
            call.run();
        } finally {
            CURRENT.remove();
        }
    }

    /** The abort of the call on this thread, if a model started it. */
    static @Nullable CallAbort current() {
        return CURRENT.get();
    }

    /** Registers the HTTP exchange in flight; cancels it at once if the call was aborted already. */
    synchronized void exchange(CompletableFuture<?> exchange) {
        this.exchange = exchange;
        if (aborted) {
            exchange.cancel(true);
        }
    }

    /** Registers a streamed response body; closes it at once if the call was aborted already. */
    synchronized void body(InputStream body) {
        this.body = body;
        if (aborted) {
            close(body);
        }
    }

    /** Stops the call: cancels the exchange and closes the body, which closes the connection. */
    synchronized void abort() {
        aborted = true;
        if (exchange != null) {
            exchange.cancel(true);
        }
        if (body != null) {
            close(body);
        }
    }

    private static void close(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // the connection is going away either way
        }
    }
}
