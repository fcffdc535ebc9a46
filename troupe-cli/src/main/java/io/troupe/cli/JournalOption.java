package io.troupe.cli;

import io.troupe.api.ConfigurationException;
import io.troupe.api.run.Troupe;
import io.troupe.runtime.Journal;
import io.troupe.runtime.JournalInUseException;
import io.troupe.runtime.TroupeRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The {@code --journal DIR|URL} option shared by the commands that open a journal. */
final class JournalOption {
    /** The file H2 keeps a journal in, in its directory. */
    private static final String DATABASE_FILE = "troupe.mv.db";

    @Option(
            names = "--journal",
            paramLabel = "DIR|URL",
            description = "The journal: a directory for an H2 file (default: $TROUPE_HOME/journal or"
                    + " ~/.troupe/journal), or a PostgreSQL URL jdbc:postgresql://host:5432/db with the user and"
                    + " password in TROUPE_JOURNAL_USER and TROUPE_JOURNAL_PASSWORD (or PGUSER and PGPASSWORD).")
    @Nullable
    String location;

    /** Whether the journal is a PostgreSQL database. */
    boolean isPostgres() {
        return location != null && location.startsWith("jdbc:");
    }

    /** The journal's location as people read it: the directory, or the URL (which holds no password). */
    String describe() {
        return isPostgres() ? location : directory().toString();
    }

    /** The option as a command line needs it to open this journal again: {@code " --journal DIR"}, or nothing. */
    String asArgument() {
        return location == null ? "" : " --journal " + location;
    }

    Path directory() {
        return location != null && !isPostgres() ? Path.of(location) : TroupeRuntime.defaultJournalDirectory();
    }

    Journal journal() {
        return isPostgres() ? Journal.postgres(location) : Journal.h2(directory());
    }

    /**
     * A runtime that only reads the journal: no models, and no unfinished run resumes, so that no model is ever
     * called.
     */
    Troupe openReadOnly() {
        return open(journal());
    }

    /**
     * A runtime that reads the journal, as {@link #openReadOnly()}, for commands that only read it (runs, replay,
     * explain, audit, datasets). While another process holds an H2 journal (a {@code troupe run} going on), it reads a
     * copy taken now instead and says so on standard error: the copy is what a crash at this moment would leave, which
     * the journal is made to recover from, and it is deleted when this process exits. A {@code --journal} directory
     * without a journal is an error, not an empty journal made there.
     */
    Troupe openForReading() {
        if (location != null && !isPostgres() && !Files.exists(directory().resolve(DATABASE_FILE))) {
            // Reading must not create: a mistyped --journal would otherwise list no runs, as if it were empty.
            throw new ConfigurationException("There is no journal in " + directory() + " (no " + DATABASE_FILE
                    + " there): check the --journal path; 'troupe run --journal DIR' writes one.");
        }
        try {
            return openReadOnly();
        } catch (JournalInUseException e) {
            Path copy = copy(e.directory());
            System.err.println("The journal " + e.directory() + " is in use"
                    + (e.holder().isBlank() ? "" : " (" + e.holder() + ")") + "; reading a copy of it as of now:"
                    + " runs going on there show as unfinished.");
            return open(Journal.h2(copy));
        }
    }

    private static Troupe open(Journal journal) {
        // Logging is set up here, before the runtime's threads start: one of them logging while another sets it up
        // makes SLF4J print a three-line warning about calls it replays.
        org.slf4j.LoggerFactory.getILoggerFactory();
        return TroupeRuntime.builder().journal(journal).resume(false).start();
    }

    /** Copies the database of the H2 journal in {@code directory} into a new owner-only directory, deleted on exit. */
    private static Path copy(Path directory) {
        try {
            Path copy = Files.createTempDirectory("troupe-journal-copy"); // owner-only, as the journal is
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(copy), "troupe-journal-copy"));
            Files.copy(directory.resolve(DATABASE_FILE), copy.resolve(DATABASE_FILE));
            return copy;
        } catch (IOException e) {
            throw new ConfigurationException("The journal " + directory + " is in use by another process, and this"
                    + " one cannot read a copy of it (" + e.getMessage() + "): wait for that process to finish.");
        }
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temporary directory the system cleans up in time
        }
    }
}
