package io.troupe.guard;

import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Interceptor;
import io.troupe.api.intercept.Point;
import io.troupe.api.intercept.Verdict;
import io.troupe.guard.audit.AuditCheck;
import java.util.EnumSet;
import java.util.Set;

/**
 * Journals the audit log's head at every interception point of a run (after the task), so that the journal pins the
 * log: a log that was truncated, or rebuilt without the key, no longer holds the heads the run journaled. Its note
 * is {@code audit head SEQ HASH}. The log itself is written from the run's journal ({@link GuardRuns}); a log that
 * cannot be written blocks the run's calls (fail closed). It stands last, after every other guardrail. Thread-safe.
 */
final class AuditInterceptor implements Interceptor {
    static final String NAME = "audit";
    /** The points it applies to. */
    static final Set<Point> POINTS = Set.copyOf(EnumSet.complementOf(EnumSet.of(Point.TASK)));

    private final GuardRuns runs;

    AuditInterceptor(GuardRuns runs) {
        this.runs = runs;
    }

    @Override
    public Set<Point> points() {
        return POINTS;
    }

    @Override
    public Verdict intercept(Interception interception) {
        String run = interception.context().conversationId();
        runs.tree(interception.context(), interception.point());
        String problem = runs.auditProblem(run);
        if (problem != null) {
            return Verdict.block("the run's audit log cannot be kept: " + problem);
        }
        return Verdict.proceed(AuditCheck.anchorNote(runs.auditHead(run)));
    }
}
