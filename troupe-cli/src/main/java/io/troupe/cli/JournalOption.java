package io.troupe.cli;

import io.troupe.api.run.Troupe;
import io.troupe.runtime.Journal;
import io.troupe.runtime.TroupeRuntime;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The {@code --journal DIR} option shared by the commands that open a journal. */
final class JournalOption {
    @Option(
            names = "--journal",
            paramLabel = "DIR",
            description = "The journal directory (default: $TROUPE_HOME/journal or ~/.troupe/journal).")
    @Nullable
    Path directory;

    Path directory() {
        return directory != null ? directory : TroupeRuntime.defaultJournalDirectory();
    }

    Journal journal() {
        return Journal.h2(directory());
    }

    /**
     * A runtime that only reads the journal: no models, and no unfinished run resumes, so that no model is ever
     * called.
     */
    Troupe openReadOnly() {
        return TroupeRuntime.builder().journal(journal()).resume(false).start();
    }
}
