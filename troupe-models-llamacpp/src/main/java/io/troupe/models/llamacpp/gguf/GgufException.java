package io.troupe.models.llamacpp.gguf;

import io.troupe.api.TroupeException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** A file is not a GGUF file Troupe can read: its message says what is wrong, where, and what to do. */
public final class GgufException extends TroupeException {
    private static final long serialVersionUID = 1L;

    private final transient @Nullable Path file;
    private final Kind kind;

    GgufException(@Nullable Path file, Kind kind, String message) {
        this(file, kind, message, null);
    }

    GgufException(@Nullable Path file, Kind kind, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.file = file;
        this.kind = kind;
    }

    /** The file this is about, if it came from one. */
    public @Nullable Path file() {
        return file;
    }

    /** What kind of problem this is, so that callers can choose their advice. */
    public Kind kind() {
        return kind;
    }

    /** What kind of problem a {@link GgufException} reports. */
    public enum Kind {
        /** The file does not start with the GGUF magic. */
        NOT_GGUF,
        /** A GGUF version other than 2 or 3. */
        UNSUPPORTED_VERSION,
        /** The file ends before its header or tensor data do. */
        TRUNCATED,
        /** The header holds values no valid file has. */
        CORRUPT,
        /** A metadata key is missing or has the wrong type, or a tensor is missing or has an unusable type. */
        CONTENT,
        /** The file could not be read or written. */
        IO
    }
}
