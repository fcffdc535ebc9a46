package io.troupe.guard;

import io.troupe.api.run.Troupe;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The runtime a guard serves, once it is bound: the audit log follows its runs, and a vault that starts again after a
 * restart reads the run's journal through it. Interceptors may be asked before the binding (a runtime resumes runs
 * while it starts), so they wait for it a while. Thread-safe.
 */
final class Binding {
    private final CountDownLatch bound = new CountDownLatch(1);
    private volatile @Nullable Troupe troupe;

    void bind(Troupe troupe) {
        if (this.troupe != null && this.troupe != troupe) {
            throw new IllegalStateException(
                    "this guard is bound to another runtime already; build one guard per" + " runtime");
        }
        this.troupe = troupe;
        bound.countDown();
    }

    /** The runtime, if bound. */
    @Nullable
    Troupe now() {
        return troupe;
    }

    /** The runtime, waiting up to {@code wait} for the binding; null if it does not come. */
    @Nullable
    Troupe await(Duration wait) {
        try {
            bound.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return troupe;
    }
}
