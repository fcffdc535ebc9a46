package io.troupe.runtime;

import io.troupe.api.internal.Checks;
import java.nio.file.Path;

/**
 * Where a runtime journals its conversations.
 *
 * <ul>
 *   <li>{@link H2File}: the embedded default; an H2 database in a directory you choose. Runs survive restarts and
 *       resume by themselves.
 *   <li>{@link H2Memory}: the same JDBC journal in memory, for tests that want real serialization.
 *   <li>{@link InMemory}: Pekko's in-memory journal, the fastest, for tests and benchmarks. Gone with the JVM.
 * </ul>
 */
public sealed interface Journal {

    /** An H2 database file in {@code directory}, created if needed. */
    static Journal h2(Path directory) {
        return new H2File(directory);
    }

    /** An in-memory journal that lives as long as the runtime. */
    static Journal inMemory() {
        return new InMemory();
    }

    /** Whether runs in this journal outlive the JVM, so that the runtime must resume them when it starts. */
    boolean durable();

    /** Pekko's in-memory journal. */
    record InMemory() implements Journal {
        @Override
        public boolean durable() {
            return false;
        }
    }

    /** An H2 database in memory, named {@code name}, through the JDBC journal. */
    record H2Memory(String name) implements Journal {
        public H2Memory {
            Checks.name(name, "H2 in-memory database name");
        }

        @Override
        public boolean durable() {
            return false;
        }
    }

    /** An H2 database file {@code troupe.mv.db} in {@code directory}, through the JDBC journal. */
    record H2File(Path directory) implements Journal {
        public H2File {
            Checks.notNull(directory, "H2 journal directory");
            directory = directory.toAbsolutePath().normalize();
        }

        @Override
        public boolean durable() {
            return true;
        }
    }
}
