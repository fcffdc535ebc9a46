package io.troupe.guard;

import io.troupe.api.Checks;

/**
 * The guardrails of one scope: every agent of a run, or one agent (whose guardrails replace the run's). A value;
 * derive variants with the {@code with…} methods.
 *
 * @param pii personal data: redact, block or ask
 * @param injection prompt injection in untrusted text: block, quarantine or ask
 * @param canary whether each system prompt carries a secret canary whose appearance in any answer, message or tool
 *     argument blocks it (a leaked system prompt)
 * @param links links and images outside an allow-list in answers
 * @param rateLimits rate limits on model and tool calls
 * @param maxToolResultChars the most characters of a tool result that reach a prompt (the rest is cut with a note);
 *     0 for no limit
 */
public record Guardrails(
        PiiPolicy pii,
        InjectionPolicy injection,
        boolean canary,
        LinkPolicy links,
        RateLimits rateLimits,
        int maxToolResultChars) {

    /** The default limit on a tool result that reaches a prompt: 100,000 characters. */
    public static final int DEFAULT_MAX_TOOL_RESULT_CHARS = 100_000;

    /** No guardrail at all. */
    public static final Guardrails NONE =
            new Guardrails(PiiPolicy.OFF, InjectionPolicy.OFF, false, LinkPolicy.OFF, RateLimits.NONE, 0);

    /**
     * What {@code troupe run} applies when a spec says nothing: injection defence on tool results, and
     * tool results cut at {@value #DEFAULT_MAX_TOOL_RESULT_CHARS} characters. (Sink checks and the audit log are
     * guard-wide.) PII redaction, the canary and link filtering change what models see, so they are opt-in.
     */
    public static final Guardrails STANDARD =
            NONE.withInjection(InjectionPolicy.STANDARD).withMaxToolResultChars(DEFAULT_MAX_TOOL_RESULT_CHARS);

    public Guardrails {
        Checks.notNull(pii, "Guardrails pii");
        Checks.notNull(injection, "Guardrails injection");
        Checks.notNull(links, "Guardrails links");
        Checks.notNull(rateLimits, "Guardrails rateLimits");
        if (maxToolResultChars < 0) {
            throw new IllegalArgumentException(
                    "maxToolResultChars must not be negative (0 for no limit), got " + maxToolResultChars);
        }
    }

    public Guardrails withPii(PiiPolicy pii) {
        return new Guardrails(pii, injection, canary, links, rateLimits, maxToolResultChars);
    }

    public Guardrails withInjection(InjectionPolicy injection) {
        return new Guardrails(pii, injection, canary, links, rateLimits, maxToolResultChars);
    }

    public Guardrails withCanary(boolean canary) {
        return new Guardrails(pii, injection, canary, links, rateLimits, maxToolResultChars);
    }

    public Guardrails withLinks(LinkPolicy links) {
        return new Guardrails(pii, injection, canary, links, rateLimits, maxToolResultChars);
    }

    public Guardrails withRateLimits(RateLimits rateLimits) {
        return new Guardrails(pii, injection, canary, links, rateLimits, maxToolResultChars);
    }

    public Guardrails withMaxToolResultChars(int maxToolResultChars) {
        return new Guardrails(pii, injection, canary, links, rateLimits, maxToolResultChars);
    }
}
