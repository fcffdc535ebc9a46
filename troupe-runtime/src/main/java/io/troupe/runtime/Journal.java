package io.troupe.runtime;

import io.troupe.api.Checks;
import io.troupe.api.ConfigurationException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

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

    /**
     * Why {@code path} cannot be a journal location, or null. A location is a path, never part of a JDBC URL: a
     * ';' would start a URL setting (H2's {@code INIT=...} runs SQL), and control characters have no place in a
     * file name.
     */
    private static @Nullable String locationProblem(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == ';') {
                return "it contains ';', which a journal location must not contain; choose a directory without it";
            }
            if (c < 0x20 || c == 0x7f) {
                return "it contains a control character (U+" + String.format("%04X", (int) c)
                        + "); choose a directory without one";
            }
        }
        return null;
    }

    private static String printable(String path) {
        StringBuilder text = new StringBuilder("'");
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            text.append(c < 0x20 || c == 0x7f ? "\\u" + String.format("%04x", (int) c) : String.valueOf(c));
        }
        return text.append('\'').toString();
    }

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

    /**
     * An H2 database file {@code troupe.mv.db} in {@code directory}, through the JDBC journal. The directory is
     * created readable by its owner only, and one process at a time may use it.
     *
     * @throws ConfigurationException if the path has characters a journal location must not have
     */
    record H2File(Path directory) implements Journal {
        public H2File {
            Checks.notNull(directory, "H2 journal directory");
            directory = directory.toAbsolutePath().normalize();
            String problem = locationProblem(directory.toString());
            if (problem != null) {
                throw new ConfigurationException(
                        "Cannot use the journal directory " + printable(directory.toString()) + ": " + problem);
            }
        }

        @Override
        public boolean durable() {
            return true;
        }
    }
}
