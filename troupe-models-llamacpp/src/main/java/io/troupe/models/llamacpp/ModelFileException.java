package io.troupe.models.llamacpp;

import io.troupe.api.TroupeException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A model file is missing, is not a GGUF file, is truncated or corrupt, does not match its expected sha256, could not
 * be downloaded, or llama.cpp refused to load it.
 *
 * <p>The file is checked before llama.cpp sees it, so the JVM carries on after this exception. The message names the
 * file, says what was expected and how to fix it.
 */
public final class ModelFileException extends TroupeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    ModelFileException(Path file, String message) {
        this(file, message, null);
    }

    ModelFileException(Path file, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The model file this problem is about. */
    public Path file() {
        return file;
    }
}
