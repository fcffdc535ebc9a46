package io.troupe.runtime;

import io.troupe.api.TroupeException;
import java.nio.file.Path;

/**
 * An H2 file journal is held by another process: one process at a time can write it. Its message names the holder
 * (its pid, start and command line) and the remedies; a process that only reads can read a copy instead (as {@code
 * troupe runs}, {@code replay} and {@code explain} do).
 */
public final class JournalInUseException extends TroupeException {
    private static final long serialVersionUID = 1L;

    private final transient Path directory;
    private final String holder;

    /**
     * @param directory the journal's directory
     * @param holder the holding process as it described itself (pid, start and command line); empty if unknown
     */
    public JournalInUseException(Path directory, String holder) {
        super("The journal " + directory + " is in use by another Troupe process"
                + (holder.isBlank() ? "" : " (" + holder + ")") + ". One process at a time can use an H2"
                + " journal: wait for that process to finish or stop it, or give this one another directory"
                + " with --journal (or TroupeRuntime.builder().journal(Journal.h2(dir))).");
        this.directory = directory;
        this.holder = holder;
    }

    /** The journal's directory. */
    public Path directory() {
        return directory;
    }

    /** The holding process as it described itself: its pid, when it started and its command line; may be empty. */
    public String holder() {
        return holder;
    }
}
