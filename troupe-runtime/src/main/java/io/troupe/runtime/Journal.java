package io.troupe.runtime;

import io.troupe.api.Checks;
import io.troupe.api.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Where a runtime journals its conversations.
 *
 * <ul>
 *   <li>{@link H2File}: the embedded default; an H2 database in a directory you choose. Runs survive restarts and
 *       resume by themselves.
 *   <li>{@link H2Memory}: the same JDBC journal in memory, for tests that want real serialization.
 *   <li>{@link InMemory}: an in-memory journal, the fastest, for tests, benchmarks and services that need no
 *       durability. Gone with the JVM; finished runs are evicted after a while, so a long-lived process stays
 *       bounded.
 * </ul>
 */
public sealed interface Journal {

    /** An H2 database file in {@code directory}, created if needed. */
    static Journal h2(Path directory) {
        return new H2File(directory);
    }

    /**
     * An in-memory journal that lives as long as the runtime. It keeps every run in progress, and each finished run
     * while it is among the {@value InMemory#DEFAULT_KEEP_FINISHED_RUNS} most recently finished and for at most an
     * hour; see {@link #inMemory(int, Duration)}.
     */
    static InMemory inMemory() {
        return new InMemory(InMemory.DEFAULT_KEEP_FINISHED_RUNS, InMemory.DEFAULT_KEEP_FINISHED_FOR);
    }

    /**
     * An in-memory journal that keeps each finished run (for {@code replay}, {@code attach} and {@code runs()}) while
     * it is among the {@code keepFinishedRuns} most recently finished runs and for at most {@code keepFinishedFor}.
     * Evicted runs are gone: replaying one finds no run. Runs in progress are always kept.
     *
     * @throws ConfigurationException if {@code keepFinishedRuns} is below 1 or {@code keepFinishedFor} is not positive
     */
    static InMemory inMemory(int keepFinishedRuns, Duration keepFinishedFor) {
        return new InMemory(keepFinishedRuns, keepFinishedFor);
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

    /**
     * Troupe's in-memory journal, bounded: finished runs are evicted once more than {@code keepFinishedRuns} runs
     * finished after them, or {@code keepFinishedFor} after they finished (checked whenever a run finishes).
     */
    record InMemory(int keepFinishedRuns, Duration keepFinishedFor) implements Journal {
        /** How many finished runs {@link Journal#inMemory()} keeps. */
        public static final int DEFAULT_KEEP_FINISHED_RUNS = 10_000;

        /** How long {@link Journal#inMemory()} keeps a finished run. */
        public static final Duration DEFAULT_KEEP_FINISHED_FOR = Duration.ofHours(1);

        public InMemory {
            if (keepFinishedRuns < 1) {
                throw new ConfigurationException("An in-memory journal must keep at least 1 finished run, got "
                        + keepFinishedRuns + "; use a larger keepFinishedRuns");
            }
            Checks.notNull(keepFinishedFor, "keepFinishedFor");
            if (keepFinishedFor.isNegative() || keepFinishedFor.isZero()) {
                throw new ConfigurationException(
                        "An in-memory journal must keep finished runs for a positive time, got " + keepFinishedFor
                                + "; use for example Duration.ofMinutes(10)");
            }
        }

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
