package io.troupe.runtime.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random ids in UUID form (version 4), from {@link ThreadLocalRandom} rather than {@link UUID#randomUUID()}'s
 * SecureRandom: ids must be unique, not unguessable, and starting a run must be cheap.
 */
final class Ids {
    private Ids() {}

    static String random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(most, least).toString();
    }
}
