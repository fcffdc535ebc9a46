package io.troupe.runtime.internal.state;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids in UUID form. Random ids come from {@link ThreadLocalRandom} rather than {@link UUID#randomUUID()}'s
 * SecureRandom: ids must be unique, not unguessable, and starting a run must be cheap. Derived ids are the same
 * for the same name, so that a plan repeated after a restart names things as it did.
 */
public final class Ids {
    private Ids() {}

    /** A random id (UUID version 4). */
    public static String random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(most, least).toString();
    }

    /** An id derived from {@code name} (UUID version 3). */
    public static String derived(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
