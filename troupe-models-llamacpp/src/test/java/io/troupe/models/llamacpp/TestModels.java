package io.troupe.models.llamacpp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real model files the tests use, found through TROUPE_MODEL_DIR or the troupe.model.dir system property. */
final class TestModels {
    static final String STORIES_SHA256 = "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d";
    static final String TINY_RANDOM_SHA256 = "81f226c62d28ed4a1a9b9fa080fcd9f0cc40e0f9d5680036583ff98fbcd035cb";

    private TestModels() {}

    static Path stories() {
        return file("stories260K.gguf");
    }

    static Path tinyRandom() {
        return file("llama-2-tiny-random.gguf");
    }

    private static Path file(String name) {
        Path file = dir().resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(
                    "Test model " + file + " is missing: see README.txt of the models directory");
        }
        return file;
    }

    /** The models directory; fails with a clear message rather than skipping when it is missing. */
    static Path dir() {
        List<Path> tried = new ArrayList<>();
        String env = System.getenv("TROUPE_MODEL_DIR");
        if (env != null && !env.isBlank()) {
            tried.add(Path.of(env));
            String root = System.getProperty("troupe.build.root");
            if (root != null) {
                tried.add(Path.of(root).resolve(env)); // CI gives it relative to the repository root
            }
        }
        String property = System.getProperty("troupe.model.dir");
        if (property != null && !property.isBlank()) {
            tried.add(Path.of(property));
        }
        for (Path dir : tried) {
            if (Files.isDirectory(dir)) {
                return dir.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("No test model directory: set TROUPE_MODEL_DIR (or -Dtroupe.model.dir) to the"
                + " directory holding stories260K.gguf and llama-2-tiny-random.gguf; tried " + tried);
    }
}
