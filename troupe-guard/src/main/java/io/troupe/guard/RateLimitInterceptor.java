package io.troupe.guard;

import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Interceptor;
import io.troupe.api.intercept.Point;
import io.troupe.api.intercept.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rate limits on the seam: an agent's model calls and tool calls in a run, and each tool's calls across the
 * runtime, in sliding windows. A call over a limit waits until the window has room, if that comes within
 * {@link #MAX_WAIT}; otherwise it is blocked (a model call ends the agent's turn, a tool call becomes an error the
 * model reads). Thread-safe.
 */
final class RateLimitInterceptor implements Interceptor {
    static final String NAME = "rate-limits";
    /** The points it applies to. */
    static final Set<Point> POINTS = Set.copyOf(Set.of(Point.MODEL_CALL, Point.TOOL_USE));
    /** The longest a call waits for room in a window. */
    static final Duration MAX_WAIT = Duration.ofSeconds(20);

    /** How the interceptor waits; a test can record the waits instead. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Scopes scopes;
    private final GuardRuns runs;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Map<String, Deque<Long>> toolWindows = new ConcurrentHashMap<>();

    RateLimitInterceptor(Scopes scopes, GuardRuns runs, Clock clock, Sleeper sleeper) {
        this.scopes = scopes;
        this.runs = runs;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    @Override
    public Set<Point> points() {
        return POINTS;
    }

    /** Longer than the longest wait. */
    @Override
    public Duration timeout() {
        return MAX_WAIT.plusSeconds(10);
    }

    @Override
    public Verdict intercept(Interception interception) throws InterruptedException {
        RateLimits limits = scopes.of(interception.context()).rateLimits();
        if (!limits.any()) {
            return Verdict.proceed();
        }
        RunTree tree = runs.tree(interception.context(), interception.point());
        String run = interception.context().conversationId();
        String agent = String.valueOf(interception.context().agentId());
        long started = clock.millis();
        long[] slept = {0};
        switch (interception.subject()) {
            case Interception.Subject.ModelCall call -> {
                if (limits.modelCalls() != null
                        && !acquire(tree.window("model:" + run + ":" + agent), limits.modelCalls(), started, slept)) {
                    return Verdict.block("rate limit: agent '" + agent + "' may make "
                            + limits.modelCalls().describe() + " model calls, and the next one would wait longer than "
                            + MAX_WAIT.toSeconds() + " s");
                }
            }
            case Interception.Subject.ToolUse use -> {
                String tool = use.call().name();
                RateLimit perTool = limits.tools().get(tool);
                if (perTool != null
                        && !acquire(
                                toolWindows.computeIfAbsent(tool, t -> new ArrayDeque<>()), perTool, started, slept)) {
                    return Verdict.block("rate limit: tool '" + tool + "' may be called " + perTool.describe()
                            + "; try again later or do without it");
                }
                if (limits.toolCalls() != null
                        && !acquire(tree.window("tool:" + run + ":" + agent), limits.toolCalls(), started, slept)) {
                    return Verdict.block("rate limit: agent '" + agent + "' may make "
                            + limits.toolCalls().describe() + " tool calls; try again later or do without");
                }
            }
            default -> {}
        }
        return slept[0] > 0 ? Verdict.proceed("rate limit: waited " + slept[0] + " ms") : Verdict.proceed();
    }

    /**
     * Takes a place in {@code window} for a call, waiting for the oldest call to leave the window while it is full;
     * false when the call would wait, all told, longer than {@link #MAX_WAIT} since {@code started}. Adds the time
     * it slept to {@code slept[0]}.
     */
    boolean acquire(Deque<Long> window, RateLimit limit, long started, long[] slept) throws InterruptedException {
        long per = limit.per().toMillis();
        while (true) {
            long wait;
            synchronized (window) {
                long now = clock.millis();
                while (!window.isEmpty() && window.peekFirst() <= now - per) {
                    window.pollFirst();
                }
                if (window.size() < limit.calls()) {
                    window.addLast(now);
                    return true;
                }
                wait = window.peekFirst() + per - now;
                if (now + wait - started > MAX_WAIT.toMillis()) {
                    return false;
                }
            }
            long nap = Math.max(1, wait);
            sleeper.sleep(Duration.ofMillis(nap));
            slept[0] += nap;
        }
    }
}
