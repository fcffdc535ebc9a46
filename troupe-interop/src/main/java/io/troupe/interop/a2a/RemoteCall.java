package io.troupe.interop.a2a;

import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * One call of an {@link A2aModel} in flight: the remote task it follows and the stream it reads, so that cancelling can
 * stop both. Aborting closes the stream and cancels the task on the agent ({@code CancelTask}, in the background); a
 * task or stream the call starts following after it was aborted is stopped at once. Thread-safe: the
 * exchange's thread records what it follows, and whoever ends the call (a timeout, a cancellation) aborts it.
 */
final class RemoteCall {
    private volatile boolean aborted;
    private volatile @Nullable InputStream stream;
    private volatile @Nullable String taskId;
    private volatile @Nullable A2aClient client;

    boolean aborted() {
        return aborted;
    }

    void following(A2aClient client, @Nullable String taskId, @Nullable InputStream stream) {
        this.client = client;
        if (taskId != null) {
            this.taskId = taskId;
        }
        if (stream != null) {
            this.stream = stream;
        }
        if (aborted) {
            abort();
        }
    }

    void abort() {
        aborted = true;
        InputStream open = stream;
        if (open != null) {
            try {
                open.close();
            } catch (IOException e) {
                // closing is all we wanted
            }
        }
        A2aClient remote = client;
        String task = taskId;
        if (remote != null && task != null) {
            Thread.ofVirtual().start(() -> {
                try {
                    remote.cancelTask(task); // CANCEL is CancelTask
                } catch (RuntimeException e) {
                    // the task may have ended already
                }
            });
            taskId = null;
        }
    }
}
