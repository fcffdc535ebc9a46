package io.troupe.guard.injection;

import io.troupe.guard.Direction;
import io.troupe.guard.Finding;
import io.troupe.guard.GuardContext;
import io.troupe.guard.Guardrail;
import io.troupe.guard.Verdict;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The prompt-injection guardrail for untrusted text (tool results and messages by default): blocks, asks about or
 * quarantines what the {@link InjectionDetector} flags, and spotlights the rest if asked to.
 *
 * <p>Quarantine returns a {@link Verdict.Redact} whose text is the original marked as data by the run's
 * {@link Spotlight}; put {@link #spotlightFor(String)}'s {@link Spotlight#instruction()} in the agent's system
 * prompt so that the model knows what the markers mean. Thread-safe.
 */
public final class InjectionGuardrail implements Guardrail {

    /** What to do with a text at a given level. */
    public enum Action {
        /** Let it pass unchanged. */
        PASS,
        /** Mark it as data with the run's spotlight. */
        QUARANTINE,
        /** Ask a human. */
        ASK,
        /** Block it. */
        BLOCK
    }

    private final InjectionDetector detector;
    private final Action onInjection;
    private final Action onSuspicious;
    private final Action onBenign;
    private final Set<Direction> directions;
    private final Spotlight.Mode spotlightMode;
    private final ConcurrentMap<String, Spotlight> spotlights = new ConcurrentHashMap<>();

    /**
     * An injection guardrail.
     *
     * @param detector the detector
     * @param onInjection what to do with injections (typically {@link Action#BLOCK})
     * @param onSuspicious what to do with suspicious texts (typically {@link Action#QUARANTINE})
     * @param onBenign what to do with the rest ({@link Action#PASS}, or {@link Action#QUARANTINE} to spotlight all
     *     untrusted text)
     * @param directions where to look; empty means {@link Direction#TOOL_RESULT} and {@link Direction#MESSAGE}
     * @param spotlightMode how quarantined text is marked
     */
    public InjectionGuardrail(
            InjectionDetector detector,
            Action onInjection,
            Action onSuspicious,
            Action onBenign,
            Set<Direction> directions,
            Spotlight.Mode spotlightMode) {
        this.detector = detector;
        this.onInjection = onInjection;
        this.onSuspicious = onSuspicious;
        this.onBenign = onBenign;
        this.directions = directions.isEmpty()
                ? EnumSet.of(Direction.TOOL_RESULT, Direction.MESSAGE)
                : EnumSet.copyOf(directions);
        this.spotlightMode = spotlightMode;
    }

    /** Blocks injections, quarantines suspicious texts, passes the rest; on tool results and messages. */
    public static InjectionGuardrail standard(InjectionDetector detector) {
        return new InjectionGuardrail(
                detector, Action.BLOCK, Action.QUARANTINE, Action.PASS, Set.of(), Spotlight.Mode.DELIMIT);
    }

    @Override
    public String name() {
        return "injection";
    }

    @Override
    public boolean appliesTo(Direction direction) {
        return directions.contains(direction);
    }

    /** The spotlight of {@code runId}, created with a fresh random token on first use. */
    public Spotlight spotlightFor(String runId) {
        return spotlights.computeIfAbsent(runId, id -> Spotlight.random(spotlightMode));
    }

    /** Forgets the spotlight of {@code runId}, when the run ends. */
    public void forget(String runId) {
        spotlights.remove(runId);
    }

    @Override
    public Verdict check(String text, GuardContext context) {
        InjectionScan scan = detector.scan(text);
        List<Finding> findings = scan.fired().stream()
                .map(s -> new Finding(
                        name(), "injection." + s.id(), s.kind() + " fired in " + s.view() + " text", s.score()))
                .toList();
        Action action = switch (scan.level()) {
            case INJECTION -> onInjection;
            case SUSPICIOUS -> onSuspicious;
            case BENIGN -> onBenign;
        };
        String where = context.toolName() != null
                ? "the result of tool '" + context.toolName() + "'"
                : context.peerId() != null ? "the message from '" + context.peerId() + "'" : "the text";
        String reason = where + " looks like a prompt injection (score " + scan.score() + ", "
                + scan.level().label()
                + (scan.fired().isEmpty() ? "" : ", " + scan.fired().get(0).id()) + ")";
        return switch (action) {
            case PASS -> new Verdict.Pass(findings);
            case QUARANTINE ->
                new Verdict.Redact(
                        spotlightFor(context.runId()).mark(text),
                        scan.level() == InjectionScan.Level.BENIGN
                                ? "untrusted text marked as data"
                                : reason + "; marked as data",
                        findings);
            case ASK -> new Verdict.AskHuman(text, reason + "; let the agent read it?", findings);
            case BLOCK -> new Verdict.Block(reason, findings);
        };
    }
}
