package io.troupe.tune.model;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real model files (TROUPE_MODEL_DIR or -Dtroupe.model.dir) and the generated ones the tests use. */
public final class TestFiles {
    private TestFiles() {}

    /** stories260K.gguf, the llama test model. */
    public static Path stories() {
        String env = System.getenv("TROUPE_MODEL_DIR");
        String property = System.getProperty("troupe.model.dir");
        for (String dir : new String[] {env, property}) {
            if (dir != null && !dir.isBlank() && Files.isRegularFile(Path.of(dir, "stories260K.gguf"))) {
                return Path.of(dir, "stories260K.gguf").toAbsolutePath();
            }
        }
        throw new IllegalStateException("stories260K.gguf not found: set TROUPE_MODEL_DIR to the directory holding it");
    }

    /** Writes a tiny random qwen2 model with a byte-level BPE vocabulary and ChatML template into {@code dir}. */
    public static Path qwen2(Path dir, TinyModel spec) {
        Path file = dir.resolve("tiny-qwen2-" + spec.seed() + ".gguf");
        spec.build(TinyTokenizer.byteLevelBpe(200)).write(file);
        return file;
    }
}
