package io.troupe.guard.pii;

import io.troupe.guard.Direction;
import io.troupe.guard.Finding;
import io.troupe.guard.GuardContext;
import io.troupe.guard.Guardrail;
import io.troupe.guard.Verdict;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The PII guardrail: finds personal data and, by its {@link Action}, redacts it to placeholders, blocks the text,
 * or asks a human.
 *
 * <p>Redaction numbers placeholders in the run's vault, so the same value keeps its placeholder across the run.
 * For tools that are authorised to see the values, the engine calls {@link #restoreForTool} just before the tool
 * runs, outside the journal, so that raw values reach the tool and nothing else; the tool's result is redacted
 * again in {@link Direction#TOOL_RESULT}. Verdicts carry types and offsets, never values. Thread-safe.
 */
public final class PiiGuardrail implements Guardrail {

    /** What to do when personal data is found. */
    public enum Action {
        /** Replace each value with its placeholder. */
        REDACT,
        /** Block the whole text. */
        BLOCK,
        /** Ask a human to approve the text as it is. */
        ASK
    }

    private final PiiRedactor redactor;
    private final PiiVaults vaults;
    private final Action action;
    private final Set<Direction> directions;
    private final Set<String> authorisedTools;

    /**
     * A PII guardrail.
     *
     * @param detector what to look for
     * @param vaults the vaults of the runs, shared with whoever restores values
     * @param action what to do on a find
     * @param directions where to look; empty means everywhere
     * @param authorisedTools the tools that may see raw values through {@link #restoreForTool}
     */
    public PiiGuardrail(
            PiiDetector detector,
            PiiVaults vaults,
            Action action,
            Set<Direction> directions,
            Set<String> authorisedTools) {
        this.redactor = new PiiRedactor(detector);
        this.vaults = vaults;
        this.action = action;
        this.directions = directions.isEmpty() ? EnumSet.allOf(Direction.class) : EnumSet.copyOf(directions);
        this.authorisedTools = Set.copyOf(authorisedTools);
    }

    /** Redacts every type, everywhere, and restores values for no tool. */
    public static PiiGuardrail redactAll(PiiVaults vaults) {
        return new PiiGuardrail(PiiDetector.standard(), vaults, Action.REDACT, Set.of(), Set.of());
    }

    @Override
    public String name() {
        return "pii";
    }

    @Override
    public boolean appliesTo(Direction direction) {
        return directions.contains(direction);
    }

    @Override
    public Verdict check(String text, GuardContext context) {
        List<PiiEntity> entities = redactor.detector().detect(text);
        if (entities.isEmpty()) {
            return Verdict.pass();
        }
        List<Finding> findings = entities.stream()
                .map(e -> new Finding(name(), "pii." + e.type(), e.describe(), e.confidence()))
                .toList();
        String summary = summary(entities);
        return switch (action) {
            case REDACT -> {
                Redaction redaction = PiiRedactor.redact(text, entities, vaults.forRun(context.runId()));
                yield new Verdict.Redact(redaction.text(), "redacted " + summary, findings);
            }
            case BLOCK -> new Verdict.Block("the text carries personal data: " + summary, findings);
            case ASK ->
                new Verdict.AskHuman(text, "the text carries personal data: " + summary + "; send it?", findings);
        };
    }

    /**
     * {@code arguments} with the run's placeholders replaced by their values if {@code tool} is authorised, else
     * unchanged. Call it just before the tool runs and never journal its result.
     */
    public String restoreForTool(String tool, String arguments, GuardContext context) {
        if (!authorisedTools.contains(tool)) {
            return arguments;
        }
        return vaults.forRun(context.runId()).restore(arguments);
    }

    private static String summary(List<PiiEntity> entities) {
        StringBuilder s = new StringBuilder();
        for (PiiType type : PiiType.values()) {
            long n = entities.stream().filter(e -> e.type() == type).count();
            if (n > 0) {
                if (!s.isEmpty()) {
                    s.append(", ");
                }
                s.append(n).append(' ').append(type);
            }
        }
        return s.toString();
    }
}
