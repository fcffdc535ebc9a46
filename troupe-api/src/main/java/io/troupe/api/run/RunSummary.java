package io.troupe.api.run;

import io.troupe.api.Checks;
import io.troupe.api.model.Usage;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One run in a journal, as {@link Troupe#runs()} lists it.
 *
 * @param conversationId the run's id
 * @param team the team's name
 * @param status where the run stands
 * @param startedAt when it started
 * @param finishedAt when it ended, or null
 * @param outcome how it ended, or null while it runs
 * @param usage what it spent: the final figure once it has ended, what was journaled so far before that
 * @param parentConversationId the run it is a child of (for a member that is a team), or null
 * @param waitingFor for a waiting run, what it waits for (the approval's reason, or what this runtime lacks)
 * @param metadata the labels it was started with
 */
public record RunSummary(
        String conversationId,
        String team,
        RunStatus status,
        Instant startedAt,
        @Nullable Instant finishedAt,
        @Nullable Outcome outcome,
        Usage usage,
        @Nullable String parentConversationId,
        @Nullable String waitingFor,
        Map<String, String> metadata) {
    public RunSummary {
        Checks.notBlank(conversationId, "RunSummary conversationId");
        Checks.notNull(team, "RunSummary team");
        Checks.notNull(status, "RunSummary status");
        Checks.notNull(startedAt, "RunSummary startedAt");
        Checks.notNull(usage, "RunSummary usage");
        metadata = Collections.unmodifiableSortedMap(new TreeMap<>(Checks.notNull(metadata, "RunSummary metadata")));
    }
}
