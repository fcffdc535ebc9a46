package io.troupe.api.intercept;

import java.time.Duration;
import java.util.Set;

/**
 * Checks, changes or holds what a run is about to do: a model call, a tool call or a message. The single
 * extension point for guardrails, approvals, tracing and audit.
 *
 * <p>Register interceptors with the runtime (for every run, or by name for the teams and agents that list them);
 * each interception point runs the applicable interceptors in order. Each interceptor sees the subject as the
 * earlier ones left it (after any {@link Verdict.Replace}), and the chain stops at the first {@link Verdict.Block}.
 * A {@link Verdict.AwaitHuman} does not stop the chain: the interceptors after it still rule, and then the point
 * is held, as the chain left it, until a person approves or denies it.
 *
 * <p>The runtime calls {@link #intercept} on a virtual thread, never on the run's own thread, so blocking is fine
 * within {@link #timeout()}. It fails closed: an interceptor that throws, or does not answer within its timeout,
 * blocks the call, and the reason is journaled. Verdicts are journaled before they take effect; on recovery and
 * replay the journaled verdict is used and the interceptor is not asked again. Implementations must be safe to
 * call from several threads at once.
 */
@FunctionalInterface
public interface Interceptor {

    /**
     * Decides what happens to {@code interception}.
     *
     * @return {@link Verdict#proceed()} to let it happen unchanged, or another verdict
     * @throws Exception for a failure of the interceptor itself; the call is then blocked (fail closed)
     */
    Verdict intercept(Interception interception) throws Exception;

    /** The points this interceptor applies to; all of them by default. */
    default Set<Point> points() {
        return Point.ALL;
    }

    /** How long one {@link #intercept} call may take before the call is blocked; 30 seconds by default. */
    default Duration timeout() {
        return Duration.ofSeconds(30);
    }
}
