package io.troupe.config;

import io.troupe.api.TroupeException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A spec file has mistakes. The message lists every {@link Problem}, one per line, and nothing else, so that a
 * command-line tool can print it as it is.
 *
 * <p>It is a user's mistake, not a bug, so it carries no stack trace.
 */
public final class SpecException extends TroupeException {
    private static final long serialVersionUID = 1L;

    private final List<Problem> problems;

    /** Creates an exception for one or more problems. */
    public SpecException(List<Problem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    private static String format(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a SpecException needs at least one problem");
        }
        return problems.stream().map(Problem::render).collect(Collectors.joining("\n"));
    }

    /** Every problem found, in the order of the file. */
    public List<Problem> problems() {
        return problems;
    }

    /** No stack trace: the message says everything a user needs. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
