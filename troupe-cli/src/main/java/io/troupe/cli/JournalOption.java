package io.troupe.cli;

import io.troupe.api.run.Troupe;
import io.troupe.runtime.Journal;
import io.troupe.runtime.TroupeRuntime;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The {@code --journal DIR|URL} option shared by the commands that open a journal. */
final class JournalOption {
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
        // Logging is set up here, before the runtime's threads start: one of them logging while another sets it up
        // makes SLF4J print a three-line warning about calls it replays.
        org.slf4j.LoggerFactory.getILoggerFactory();
        return TroupeRuntime.builder().journal(journal()).resume(false).start();
    }
}
