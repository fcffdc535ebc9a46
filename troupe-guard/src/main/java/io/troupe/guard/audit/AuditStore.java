package io.troupe.guard.audit;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where audit entries are kept: lines of JSON, appended in order, plus the chain's head. Implementations need not
 * understand the lines; {@link AuditLog} writes them and {@link AuditVerifier} checks them.
 */
public interface AuditStore {

    /** Appends one line (without its newline) and records {@code head} as the chain's new head, durably. */
    default void append(String line, ChainHead head) throws IOException {
        appendAll(List.of(line), head);
    }

    /** Appends {@code lines} in order and records {@code head}, durably; one sync for all of them where possible. */
    void appendAll(List<String> lines, ChainHead head) throws IOException;

    /** Every line, in order. */
    List<String> lines() throws IOException;

    /** The head recorded by the last append, if any. */
    Optional<ChainHead> head() throws IOException;
}
