package io.troupe.api;

import java.util.List;

/**
 * A specification or setting is wrong: raised while building specs or starting a run, before any model call.
 *
 * <p>It carries every problem found, not just the first, so that a user can fix them all in one go.
 */
public final class ConfigurationException extends TroupeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /** Creates an exception for one or more problems; the message lists them one per line. */
    public ConfigurationException(String what, List<String> problems) {
        super(format(what, requireSome(problems)));
        this.problems = List.copyOf(problems);
    }

    private static List<String> requireSome(List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigurationException needs at least one problem");
        }
        return problems;
    }

    /** Creates an exception for a single problem. */
    public ConfigurationException(String problem) {
        this("Invalid configuration", List.of(problem));
    }

    /** Throws a {@code ConfigurationException} if {@code problems} is not empty. */
    public static void throwIfAny(String what, List<String> problems) {
        if (!problems.isEmpty()) {
            throw new ConfigurationException(what, problems);
        }
    }

    /** Every problem found, in the order found. */
    public List<String> problems() {
        return problems;
    }

    private static String format(String what, List<String> problems) {
        if (problems.size() == 1) {
            return what + ": " + problems.getFirst();
        }
        StringBuilder text =
                new StringBuilder(what).append(" (").append(problems.size()).append(" problems):");
        for (String problem : problems) {
            text.append("\n  - ").append(problem);
        }
        return text.toString();
    }
}
