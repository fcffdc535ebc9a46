package io.troupe.guard.injection;

import io.troupe.guard.Direction;
import io.troupe.guard.Finding;
import io.troupe.guard.GuardContext;
import io.troupe.guard.Guardrail;
import io.troupe.guard.Verdict;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Blocks any output, tool argument or message in which a run's system-prompt canary appears, verbatim or
 * transformed (see {@link Canary#leakIn}). The engine puts {@link #canaryFor(String)} into each agent's system
 * prompt with {@link Canary#embedIn}. Thread-safe.
 */
public final class CanaryGuardrail implements Guardrail {
    private final ConcurrentMap<String, Canary> canaries = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "canary";
    }

    @Override
    public boolean appliesTo(Direction direction) {
        return direction == Direction.OUTPUT || direction == Direction.TOOL_ARGUMENTS || direction == Direction.MESSAGE;
    }

    /** The canary of {@code runId}, created at random on first use. */
    public Canary canaryFor(String runId) {
        return canaries.computeIfAbsent(runId, id -> Canary.random());
    }

    /** Forgets the canary of {@code runId}. */
    public void forget(String runId) {
        canaries.remove(runId);
    }

    @Override
    public Verdict check(String text, GuardContext context) {
        Optional<String> leak = canaryFor(context.runId()).leakIn(text);
        if (leak.isEmpty()) {
            return Verdict.pass();
        }
        return new Verdict.Block(
                "the system prompt leaked: its canary appears (" + leak.get() + ")",
                List.of(new Finding(name(), "canary.leak", "canary found " + leak.get(), 1)));
    }
}
