package io.troupe.guard.audit;

/**
 * The end of a chain: the number of entries and the last entry's hash. Keep a copy somewhere else (the run's
 * journal, a ticket, a signed note) to detect a log that was truncated and re-chained.
 *
 * @param seq the last entry's position; 0 for an empty log
 * @param hash the last entry's hash; {@link #GENESIS} for an empty log
 */
public record ChainHead(long seq, String hash) {
    /** The "previous hash" of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    /** The head of an empty log. */
    public static final ChainHead EMPTY = new ChainHead(0, GENESIS);
}
