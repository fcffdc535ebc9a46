package io.troupe.guard;

import java.util.ArrayList;
import java.util.List;

/**
 * Compositions of guardrails.
 *
 * <p>{@link #chain} runs guardrails in order: a redaction hands its text to the next guardrail, the first block
 * ends the chain, and a request for a human ends it too (the human approves the text as redacted so far). A
 * guardrail that throws blocks the text, with the failure as the reason (fail closed).
 */
public final class Guardrails {
    private Guardrails() {}

    /** A guardrail that runs {@code guardrails} in order, each only in the directions it applies to. */
    public static Guardrail chain(List<? extends Guardrail> guardrails) {
        List<Guardrail> steps = List.copyOf(guardrails);
        return new Guardrail() {
            @Override
            public Verdict check(String text, GuardContext context) {
                String current = text;
                boolean redacted = false;
                List<String> reasons = new ArrayList<>();
                List<Finding> findings = new ArrayList<>();
                for (Guardrail step : steps) {
                    if (!step.appliesTo(context.direction())) {
                        continue;
                    }
                    Verdict verdict;
                    try {
                        verdict = step.check(current, context);
                    } catch (RuntimeException e) {
                        String reason = "guardrail '" + step.name() + "' failed ("
                                + e.getClass().getSimpleName() + "), so the text is blocked";
                        findings.add(new Finding(
                                step.name(), "guardrail.error", e.getClass().getName(), 1));
                        return new Verdict.Block(reason, findings);
                    }
                    findings.addAll(verdict.findings());
                    switch (verdict) {
                        case Verdict.Pass pass -> {}
                        case Verdict.Redact redact -> {
                            current = redact.text();
                            redacted = true;
                            reasons.add(redact.reason());
                        }
                        case Verdict.Block block -> {
                            return new Verdict.Block(block.reason(), findings);
                        }
                        case Verdict.AskHuman ask -> {
                            return new Verdict.AskHuman(current, ask.reason(), findings);
                        }
                    }
                }
                return redacted
                        ? new Verdict.Redact(current, String.join("; ", reasons), findings)
                        : new Verdict.Pass(findings);
            }

            @Override
            public String name() {
                return "chain" + steps.stream().map(Guardrail::name).toList();
            }
        };
    }

    /** {@link #chain(List)} of the given guardrails. */
    public static Guardrail chain(Guardrail... guardrails) {
        return chain(List.of(guardrails));
    }
}
