package io.troupe.api.agent;

/**
 * What an agent remembers of its earlier turns in the same conversation when it perceives a new request.
 *
 * <p>The prompt carries the agent's instructions, then the last {@code window} entries of its own earlier
 * exchanges (requests it received and answers it gave), then the new request. Nothing is sent twice: the
 * answers of other agents reach it only through the messages addressed to it.
 *
 * @param window how many earlier entries to keep; 0 for none
 */
public record MemoryPolicy(int window) {
    /** Remembers nothing: every request is seen fresh. */
    public static final MemoryPolicy NONE = new MemoryPolicy(0);

    /** The default: the last 20 entries. */
    public static final MemoryPolicy DEFAULT = new MemoryPolicy(20);

    public MemoryPolicy {
        if (window < 0) {
            throw new IllegalArgumentException("MemoryPolicy window must not be negative, got " + window);
        }
    }

    /** Keeps the last {@code entries} entries. */
    public static MemoryPolicy window(int entries) {
        return new MemoryPolicy(entries);
    }
}
