package io.troupe.cli;

import io.troupe.launch.SpecGuard;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The {@code --audit-dir DIR} option of the commands that write or read audit logs ({@code run}, {@code resume},
 * {@code serve}, {@code audit verify}): without it, each finds the logs from the journal in the same way.
 */
final class AuditDirOption {
    @Option(
            names = "--audit-dir",
            paramLabel = "DIR",
            description = "Where the audit logs of guarded runs are (default: audit/ in an H2 journal's directory;"
                    + " for a PostgreSQL journal, $TROUPE_HOME/audit/postgresql-HOST-PORT-DATABASE, or ~/.troupe/...)."
                    + " Nodes sharing a PostgreSQL journal should share it.")
    @Nullable
    Path directory;

    /** The audit directory for {@code journal}: the option's, or the journal's default; null for none. */
    @Nullable
    Path resolve(JournalOption journal) {
        return directory != null
                ? directory
                : SpecGuard.auditDirectory(journal.journal()).orElse(null);
    }
}
