package io.troupe.bench;

import io.troupe.api.intercept.Verdict;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.run.Troupe;
import io.troupe.runtime.Journal;
import io.troupe.runtime.TroupeRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** The journals the benchmarks compare: Pekko's in-memory journal and the embedded H2 file journal. */
enum JournalKind {
    MEMORY,
    H2;

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
            default -> throw new IllegalArgumentException("Unknown journal '" + text + "': use memory or h2");
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
        if (this == H2) {
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
        return new Started(troupe, directory);
    }

    /** A started runtime and the directory of its journal, both removed on close. */
    record Started(Troupe troupe, @Nullable Path directory) implements AutoCloseable {
        @Override
        public void close() {
            troupe.close();
            if (directory != null) {
                delete(directory);
            }
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
