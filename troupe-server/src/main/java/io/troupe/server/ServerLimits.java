package io.troupe.server;

/**
 * The server's limits on what a request may carry.
 *
 * @param maxBodyBytes the largest request body, in bytes (1 MiB by default)
 * @param maxSpecChars the longest inline spec, in characters (256 Ki by default; the spec reader's own limit is 1 Mi)
 */
public record ServerLimits(long maxBodyBytes, int maxSpecChars) {
    /** 1 MiB bodies, 256 Ki-character specs. */
    public static final ServerLimits DEFAULT = new ServerLimits(1 << 20, 256 * 1024);

    public ServerLimits {
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1024, got " + maxBodyBytes);
        }
        if (maxSpecChars < 1 || maxSpecChars > (1 << 20)) {
            throw new IllegalArgumentException("maxSpecChars must be from 1 to 1048576, got " + maxSpecChars);
        }
    }
}
