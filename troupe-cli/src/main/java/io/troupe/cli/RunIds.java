package io.troupe.cli;

import io.troupe.api.ConfigurationException;
import io.troupe.api.run.RunSummary;
import java.util.List;

/**
 * A run id as a person types it: the whole id, or its start, as long as no other run starts the same way (the first
 * eight characters usually do; {@code troupe runs} shows whole ids).
 */
final class RunIds {
    /** The shortest start of an id that is looked up: shorter ones match too many runs to be meant. */
    static final int MIN_PREFIX = 4;

    private RunIds() {}

    /**
     * The id of the one run in {@code runs} whose id is {@code given} or starts with it; {@code given} itself when
     * none does (the caller says there is no such run).
     *
     * @throws ConfigurationException when several runs start with {@code given}, listing them
     */
    static String resolve(String given, List<RunSummary> runs) {
        if (given.length() < MIN_PREFIX
                || runs.stream().anyMatch(run -> run.conversationId().equals(given))) {
            return given;
        }
        List<String> matching = runs.stream()
                .map(RunSummary::conversationId)
                .filter(id -> id.startsWith(given))
                .toList();
        if (matching.size() > 1) {
            throw new ConfigurationException("'" + given + "' is the start of " + matching.size() + " run ids ("
                    + String.join(", ", matching.subList(0, Math.min(5, matching.size())))
                    + (matching.size() > 5 ? ", …" : "") + "); give more of the id");
        }
        return matching.isEmpty() ? given : matching.getFirst();
    }
}
