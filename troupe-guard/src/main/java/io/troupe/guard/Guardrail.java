package io.troupe.guard;

/**
 * A check on one text at one place in an agent's turn, which returns a {@link Verdict}.
 *
 * <p>Implementations are pure with respect to the run: they must not call models or tools on their own behalf
 * (a judge model is the exception, and its answer should be journaled by the caller), must be safe to call from
 * several threads, and should be fast, as they sit on every guarded call. A guardrail that throws is treated as a
 * block by {@link Guardrails#chain} and by the engine's seam (fail closed).
 *
 * <p>For {@link Direction#TOOL_ARGUMENTS} the text is the arguments' JSON object, and a {@link Verdict.Redact}
 * must return valid JSON.
 */
@FunctionalInterface
public interface Guardrail {

    /** Checks {@code text}, found at {@code context}. */
    Verdict check(String text, GuardContext context);

    /** A short, stable name for findings, logs and the audit log; defaults to the class's simple name. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** Whether this guardrail looks at texts in {@code direction}; the others pass it unchecked. */
    default boolean appliesTo(Direction direction) {
        return true;
    }
}
