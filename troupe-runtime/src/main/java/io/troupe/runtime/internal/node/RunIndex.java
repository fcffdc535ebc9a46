package io.troupe.runtime.internal.node;

import io.troupe.api.intercept.Ruling;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.model.Usage;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.PendingApproval;
import io.troupe.api.run.RunStatus;
import io.troupe.api.run.RunSummary;
import io.troupe.runtime.Journal;
import io.troupe.runtime.internal.conversation.ConversationEntity;
import io.troupe.runtime.internal.conversation.JournalBatch;
import io.troupe.runtime.internal.registry.Registry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.jspecify.annotations.Nullable;

/**
 * The runs in a journal, read from the batches that conversations tag when a run starts, ends, or is held for a
 * person (see {@link ConversationEntity#tagsFor}). Reading never starts or resumes a run.
 */
final class RunIndex {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final ActorSystem<Void> system;
    private final Journal journal;
    private final Registry registry;

    RunIndex(ActorSystem<Void> system, Journal journal, Registry registry) {
        this.system = system;
        this.journal = journal;
        this.registry = registry;
    }

    /** What the index knows of one run. */
    static final class Entry {
        final String conversationId;
        JournalEvent.@Nullable RunStarted started;
        JournalEvent.@Nullable RunFinished finished;
        /** Interceptions held for a person and not yet decided, by key. */
        final Map<String, JournalEvent.Intercepted> held = new LinkedHashMap<>();

        Entry(String conversationId) {
            this.conversationId = conversationId;
        }

        boolean isFinished() {
            return finished != null;
        }
    }

    /** Every run in the journal, in the order they were first journaled. */
    List<Entry> entries() {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Tagged tagged : read()) {
            Entry entry = entries.computeIfAbsent(tagged.conversationId(), Entry::new);
            for (JournalEvent event : tagged.batch().events()) {
                switch (event) {
                    case JournalEvent.RunStarted started -> entry.started = started;
                    case JournalEvent.RunFinished finished -> entry.finished = finished;
                    case JournalEvent.Intercepted intercepted
                    when intercepted.held() != null -> entry.held.put(intercepted.key(), intercepted);
                    case JournalEvent.ApprovalDecided decided -> entry.held.remove(decided.key());
                    default -> {}
                }
            }
        }
        return entries.values().stream().filter(e -> e.started != null).toList();
    }

    /** Newest first; among runs started at the same instant, by id. */
    private static final Comparator<RunSummary> NEWEST_FIRST =
            Comparator.comparing(RunSummary::startedAt).reversed().thenComparing(RunSummary::conversationId);

    /**
     * The first {@code limit} runs, newest first, that {@code where} accepts; {@code usage} gives the spending of an
     * unfinished run, which is read for the runs returned only ({@code where} sees {@link Usage#ZERO} for them).
     */
    List<RunSummary> summaries(Predicate<RunSummary> where, int limit, Function<String, Usage> usage) {
        List<RunSummary> summaries = new ArrayList<>();
        for (Entry entry : entries()) {
            JournalEvent.RunStarted started = entry.started;
            JournalEvent.RunFinished finished = entry.finished;
            RunStatus status;
            String waitingFor = null;
            if (finished != null) {
                status = RunStatus.of(finished.outcome());
            } else if (!entry.held.isEmpty()) {
                status = RunStatus.WAITING_FOR_APPROVAL;
                waitingFor = ((Verdict.AwaitHuman)
                                hold(entry.held.values().iterator().next()).verdict())
                        .reason();
            } else {
                List<String> missing = registry.missing(started.team());
                status = missing.isEmpty() ? RunStatus.RUNNING : RunStatus.WAITING_FOR_RUNTIME;
                waitingFor = missing.isEmpty() ? null : missing.getFirst();
            }
            summaries.add(new RunSummary(
                    entry.conversationId,
                    started.team().name(),
                    status,
                    started.startedAt(),
                    finished == null ? null : finished.finishedAt(),
                    finished == null ? null : finished.outcome(),
                    finished == null ? Usage.ZERO : finished.usage(),
                    started.parentConversationId(),
                    waitingFor,
                    started.metadata()));
        }
        summaries.sort(NEWEST_FIRST);
        List<RunSummary> page = new ArrayList<>();
        for (RunSummary run : summaries) {
            if (page.size() == limit) {
                break;
            }
            if (where.test(run)) {
                page.add(
                        run.finishedAt() != null
                                ? run
                                : new RunSummary(
                                        run.conversationId(),
                                        run.team(),
                                        run.status(),
                                        run.startedAt(),
                                        null,
                                        null,
                                        usage.apply(run.conversationId()),
                                        run.parentConversationId(),
                                        run.waitingFor(),
                                        run.metadata()));
            }
        }
        return page;
    }

    /** What unfinished runs hold for a person, oldest first. */
    List<PendingApproval> approvals() {
        List<PendingApproval> pending = new ArrayList<>();
        for (Entry entry : entries()) {
            if (entry.isFinished()) {
                continue;
            }
            for (JournalEvent.Intercepted held : entry.held.values()) {
                Ruling hold = hold(held);
                pending.add(new PendingApproval(
                        entry.conversationId,
                        held.key(),
                        held.point(),
                        held.agentId(),
                        hold.interceptor(),
                        ((Verdict.AwaitHuman) hold.verdict()).reason(),
                        held.held(),
                        null));
            }
        }
        return pending;
    }

    private static Ruling hold(JournalEvent.Intercepted held) {
        for (Ruling ruling : held.rulings()) {
            if (ruling.verdict() instanceof Verdict.AwaitHuman) {
                return ruling;
            }
        }
        throw new IllegalStateException("interception " + held.key() + " holds nothing for a person");
    }

    private record Tagged(String conversationId, JournalBatch batch) {}

    private List<Tagged> read() {
        List<Tagged> tagged = new ArrayList<>();
        switch (journal) {
            case Journal.InMemory memory -> {
                for (PersistentRepr repr :
                        MemoryStore.ID.get(Adapter.toClassic(system)).tagged(ConversationEntity.RUN_INDEX_TAG)) {
                    if (repr.payload() instanceof JournalBatch batch) {
                        tagged.add(new Tagged(entityId(repr.persistenceId()), batch));
                    }
                }
            }
            case Journal.H2Memory h2 -> readJdbc(tagged);
            case Journal.H2File h2 -> readJdbc(tagged);
            case Journal.Postgres postgres -> readJdbc(tagged);
        }
        return tagged;
    }

    private void readJdbc(List<Tagged> tagged) {
        JdbcReadJournal query =
                PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        List<EventEnvelope> envelopes;
        try {
            envelopes = query.currentEventsByTag(ConversationEntity.RUN_INDEX_TAG, Offset.noOffset())
                    .runWith(Sink.seq(), system)
                    .toCompletableFuture()
                    .get(READ_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not read the run index from the journal: " + e, e);
        }
        for (EventEnvelope envelope : envelopes) {
            if (envelope.event() instanceof JournalBatch batch) {
                tagged.add(new Tagged(entityId(envelope.persistenceId()), batch));
            }
        }
    }

    private static String entityId(String persistenceId) {
        int bar = persistenceId.indexOf('|');
        return bar < 0 ? persistenceId : persistenceId.substring(bar + 1);
    }
}
