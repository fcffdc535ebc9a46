package io.troupe.bench;

import io.troupe.api.intercept.Verdict;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.run.Troupe;
import io.troupe.runtime.Journal;
import io.troupe.runtime.TroupeRuntime;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The journals the benchmarks compare: Pekko's in-memory journal, the embedded H2 file journal, and PostgreSQL (an
 * embedded server the benchmark starts, whose CPU time it reads from the operating system).
 */
enum JournalKind {
    MEMORY,
    H2,
    POSTGRES;

    /** Pekko settings for benchmarks: warnings only, and no dead-letter chatter when runs passivate. */
    static final String BENCH_CONFIG = """
            pekko.loglevel = WARNING
            pekko.log-dead-letters = off
            """;

    /** Parses "memory" or "h2", case-insensitively. */
    static JournalKind parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "memory", "inmemory", "in-memory", "mem" -> MEMORY;
            case "h2" -> H2;
            case "postgres", "postgresql", "pg" -> POSTGRES;
            default -> throw new IllegalArgumentException("Unknown journal '" + text + "': use memory, h2 or postgres");
        };
    }

    /** A lower-case label for reports. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Starts a runtime on this journal with {@code model} registered as {@link BenchTeams#MODEL}. The system property
     * {@code troupe.bench.pekko} adds Pekko settings (HOCON), for experiments; the figures use the defaults.
     */
    Started start(LanguageModel model) {
        return start(model, 0);
    }

    /**
     * Like {@link #start(LanguageModel)}, with {@code interceptors} interceptors for every run that let everything
     * through: the cost of the interception seam.
     */
    Started start(LanguageModel model, int interceptors) {
        return start(model, interceptors, m -> m);
    }

    /** Like {@link #start(LanguageModel, int)}, with the model wrapped by {@code wrap} (a tracing decorator). */
    Started start(LanguageModel model, int interceptors, java.util.function.UnaryOperator<LanguageModel> wrap) {
        Path directory = null;
        Journal journal;
        EmbeddedPostgres postgres = null;
        if (this == POSTGRES) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start an embedded PostgreSQL", e);
            }
            journal = Journal.postgres("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres");
        } else if (this == H2) {
            try {
                directory = Files.createTempDirectory("troupe-bench-h2");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create a temporary directory for the H2 journal", e);
            }
            journal = Journal.h2(directory);
        } else {
            journal = Journal.inMemory();
        }
        TroupeRuntime.Builder builder = TroupeRuntime.builder()
                .journal(journal)
                .config(BENCH_CONFIG)
                .config(System.getProperty("troupe.bench.pekko", ""))
                .model(BenchTeams.MODEL, wrap.apply(model));
        for (int i = 0; i < interceptors; i++) {
            builder.interceptor("pass-" + i, interception -> Verdict.proceed());
        }
        Troupe troupe = builder.start();
        return new Started(troupe, directory, postgres);
    }

    /** A started runtime, the directory of its journal and its PostgreSQL server, all removed on close. */
    record Started(
            Troupe troupe,
            @Nullable Path directory,
            @Nullable EmbeddedPostgres postgres) implements AutoCloseable {
        @Override
        public void close() {
            troupe.close();
            if (directory != null) {
                delete(directory);
            }
            if (postgres != null) {
                try {
                    postgres.close();
                } catch (IOException e) {
                    System.err.println("Could not stop PostgreSQL: " + e);
                }
            }
        }

        /**
         * The CPU time the PostgreSQL server's processes have used so far (0 without one), in nanoseconds: the
         * postmaster (the parent of any backend) and its children, the journal's pooled connections among them.
         */
        long serverCpuNanos() {
            if (postgres == null) {
                return 0;
            }
            ProcessHandle postmaster = postmaster(postgres);
            long total = cpu(postmaster);
            for (ProcessHandle child : postmaster.descendants().toList()) {
                total += cpu(child);
            }
            return total;
        }

        /** The server's main process: the parent of the backend that serves a connection of our own. */
        private static ProcessHandle postmaster(EmbeddedPostgres postgres) {
            try (java.sql.Connection connection = postgres.getPostgresDatabase().getConnection();
                    java.sql.Statement statement = connection.createStatement();
                    java.sql.ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
                pid.next();
                return ProcessHandle.of(pid.getLong(1))
                        .flatMap(ProcessHandle::parent)
                        .orElseThrow(() -> new IllegalStateException("PostgreSQL's main process is gone"));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("Cannot find PostgreSQL's main process: " + e.getMessage(), e);
            }
        }

        private static long cpu(ProcessHandle process) {
            return process.info()
                    .totalCpuDuration()
                    .map(java.time.Duration::toNanos)
                    .orElse(0L);
        }

        private static void delete(Path directory) {
            try (Stream<Path> paths = Files.walk(directory)) {
                paths.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                System.err.println("Could not delete " + directory + ": " + e);
            }
        }
    }
}
