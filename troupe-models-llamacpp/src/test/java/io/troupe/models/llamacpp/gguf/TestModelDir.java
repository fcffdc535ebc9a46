package io.troupe.models.llamacpp.gguf;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real model files, found through TROUPE_MODEL_DIR or the troupe.model.dir system property. */
final class TestModelDir {
    private TestModelDir() {}

    static Path file(String name) {
        String env = System.getenv("TROUPE_MODEL_DIR");
        String property = System.getProperty("troupe.model.dir");
        for (String dir : new String[] {env, property}) {
            if (dir != null && !dir.isBlank() && Files.isRegularFile(Path.of(dir, name))) {
                return Path.of(dir, name);
            }
        }
        throw new IllegalStateException("Test model " + name + " not found: set TROUPE_MODEL_DIR to the directory"
                + " holding it (see the README.txt of the shared models directory)");
    }
}
