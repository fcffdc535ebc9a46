package io.troupe.models.llamacpp;

import io.troupe.models.llamacpp.gguf.Gguf;
import io.troupe.models.llamacpp.gguf.GgufException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What Troupe reads from a GGUF file before llama.cpp loads it: the magic, the metadata it needs (the chat template)
 * and whether every tensor lies inside the file. A file that fails here would make llama.cpp fail later, with a less
 * helpful message, or crash the process.
 */
final class GgufFile {
    private final Gguf gguf;

    private GgufFile(Gguf gguf) {
        this.gguf = gguf;
    }

    /** The parsed header. */
    Gguf gguf() {
        return gguf;
    }

    /** The Jinja chat template the file carries ({@code tokenizer.chat_template}), if any. */
    Optional<String> chatTemplate() {
        return gguf.string("tokenizer.chat_template").filter(t -> !t.isBlank());
    }

    /** Reads and checks {@code file}; a {@link ModelFileException} says what is wrong and how to fix it. */
    static GgufFile check(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelFileException(
                    file,
                    "Model file " + file + " does not exist or is not a regular file. Place the GGUF file there, or"
                            + " use ModelManager.resolve(name) to download a catalog model.");
        }
        try {
            return new GgufFile(Gguf.read(file));
        } catch (GgufException e) {
            throw new ModelFileException(file, advice(file, e), e);
        }
    }

    private static String advice(Path file, GgufException e) {
        String download = " Delete it and download it again (ModelManager resumes and verifies the sha256).";
        return switch (e.kind()) {
            case NOT_GGUF ->
                "Model file " + e.getMessage() + ". It may be an HTML error page, a Git LFS pointer or another"
                        + " format; download the .gguf file again (ModelManager verifies its sha256).";
            case UNSUPPORTED_VERSION ->
                "Model file " + e.getMessage() + "; llama.cpp b4916 reads versions 2 and 3. Download a current"
                        + " conversion of the model.";
            case TRUNCATED -> "Model file " + e.getMessage() + " (it is truncated or corrupt)." + download;
            case CORRUPT, CONTENT -> "Model file " + e.getMessage() + "." + download;
            case IO -> "Cannot read model file " + file + ": " + e.getMessage();
        };
    }
}
