package io.troupe.kubernetes;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Troupe's readiness check for Pekko Management: the node's journal answers a read. A node whose database cannot be
 * reached cannot journal a step, so Kubernetes should send it no work until it can; Pekko's own {@code
 * cluster-membership} check, beside this one, requires the node to be an {@code up} member.
 *
 * <p>Pekko Management creates it from the configuration ({@code
 * pekko.management.health-checks.readiness-checks.troupe-journal}) with the node's actor system, and calls it for
 * each probe, within {@code pekko.management.health-checks.check-timeout}. The read asks for the events of an id no
 * run has, so it finds nothing and changes nothing. Until the node is an {@code up} member the check answers false
 * without reading: a node creates its journal's tables only once it has joined, and the membership check already
 * says why it is not ready. A journal without a query side (the in-memory journal, which lives in the process) is
 * always reachable. Thread-safe.
 */
public final class JournalReadinessCheck implements Supplier<CompletionStage<Boolean>> {
    /** The persistence id the probe reads; no run has it. */
    static final String PROBE_ID = "troupe-readiness-probe";

    private static final String JDBC_JOURNAL = "jdbc-journal";
    private static final String JDBC_READ_JOURNAL = "jdbc-read-journal";

    private final ActorSystem system;
    private final boolean clustered;

    /** Called by Pekko Management with the node's actor system. */
    public JournalReadinessCheck(ActorSystem system) {
        this.system = system;
        this.clustered =
                system.settings().config().getString("pekko.actor.provider").equals("cluster");
    }

    @Override
    public CompletionStage<Boolean> get() {
        String plugin = system.settings().config().getString("pekko.persistence.journal.plugin");
        if (!plugin.equals(JDBC_JOURNAL)) {
            return CompletableFuture.completedFuture(true);
        }
        if (clustered && Cluster.get(system).selfMember().status() != MemberStatus.up()) {
            return CompletableFuture.completedFuture(false);
        }
        CompletionStage<?> read;
        try {
            read = PersistenceQuery.get(system)
                    .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, JDBC_READ_JOURNAL)
                    .currentEventsByPersistenceId(PROBE_ID, 0, Long.MAX_VALUE)
                    .runWith(Sink.ignore(), system);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(unreachable(e));
        }
        return read.handle((done, failure) -> {
            if (failure != null) {
                throw unreachable(failure);
            }
            return true;
        });
    }

    private static JournalUnreachableException unreachable(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        return new JournalUnreachableException(
                "The journal did not answer a read: " + cause + ". Check that the database is up and reachable"
                        + " from this pod, and the journal's user and password",
                cause);
    }

    /** Why the check failed; Pekko Management shows its message in the probe's answer and its log. */
    static final class JournalUnreachableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        JournalUnreachableException(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }
}
