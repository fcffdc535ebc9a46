package io.troupe.cli;

import io.troupe.api.ConfigurationException;
import io.troupe.api.run.RunSummary;
import java.util.List;
import java.util.function.Supplier;

/**
 * A run id as a person types it: the whole id, or its start, as long as no other run starts the same way (the first
 * eight characters usually do; {@code troupe runs} shows whole ids).
 */
final class RunIds {
    /** The shortest start of an id that is looked up: shorter ones match too many runs to be meant. */
    static final int MIN_PREFIX = 4;
    /** The length of a whole run id (a UUID); a child run's id is longer. */
    static final int WHOLE_ID = 36;

    private RunIds() {}

    /**
     * The id of the one run in {@code runs} whose id is {@code given} or starts with it; {@code given} itself when
     * none does (the caller says there is no such run).
     *
     * @throws ConfigurationException when several runs start with {@code given}, listing them
     */
    static String resolve(String given, Supplier<List<RunSummary>> runs) {
        if (given.length() < MIN_PREFIX || given.length() >= WHOLE_ID) {
            return given; // too short to be meant, or a whole id: no need to read the run index
        }
        List<RunSummary> listed = runs.get();
        if (listed.stream().anyMatch(run -> run.conversationId().equals(given))) {
            return given;
        }
        List<String> matching = listed.stream()
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
