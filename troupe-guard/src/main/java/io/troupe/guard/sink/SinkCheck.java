package io.troupe.guard.sink;

import java.util.List;

/**
 * A check of one value before it reaches a sink: a shell, a database, the file system, a browser, a terminal, the
 * network. Implementations are immutable and thread-safe.
 */
@FunctionalInterface
public interface SinkCheck {

    /** Every problem with {@code value}; empty when it may reach the sink. */
    List<Violation> check(String value);

    /** The sink's name for findings, e.g. {@code shell}. */
    default String sink() {
        return getClass().getSimpleName().replace("Check", "").toLowerCase(java.util.Locale.ROOT);
    }
}
