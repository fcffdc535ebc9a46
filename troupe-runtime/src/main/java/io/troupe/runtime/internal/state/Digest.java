package io.troupe.runtime.internal.state;

import java.util.HexFormat;

/**
 * A 64-bit digest of strings, stable across JVMs: FNV-1a over UTF-16 code units with a separator after each string,
 * then the MurmurHash3 finalizer to spread FNV's weak low bits. Not cryptographic: it tells a run's prompts and
 * subjects apart. Mutable; one per digest.
 */
public final class Digest {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private long hash = FNV_OFFSET;

    /** Adds {@code text}, then a separator. */
    public Digest add(String text) {
        long h = hash;
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * FNV_PRIME;
        }
        hash = (h ^ 0xFFFF) * FNV_PRIME;
        return this;
    }

    /** The digest as 16 hex digits. */
    public String hex() {
        long h = hash;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return HexFormat.of().toHexDigits(h ^ (h >>> 33));
    }
}
