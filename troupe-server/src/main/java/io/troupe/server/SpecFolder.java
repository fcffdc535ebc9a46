package io.troupe.server;

import io.troupe.api.Checks;
import io.troupe.api.ConfigurationException;
import io.troupe.config.SpecException;
import io.troupe.config.SpecLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The operator's specs: every {@code .yaml} or {@code .yml} file in the spec folder, read when the server starts and
 * named by its file name without the extension ({@code support.yaml} is {@code support}). They are trusted: their
 * {@code ${VAR}} references read the server's environment, and their tools may reach files and databases.
 */
final class SpecFolder {
    private final @Nullable Path directory;
    private final Map<String, LoadedSpec> specs;
    private final Map<String, String> broken;

    private SpecFolder(@Nullable Path directory, Map<String, LoadedSpec> specs, Map<String, String> broken) {
        this.directory = directory;
        this.specs = Collections.unmodifiableMap(specs);
        this.broken = Collections.unmodifiableMap(broken);
    }

    /** No folder: clients can only send specs inline. */
    static SpecFolder none() {
        return new SpecFolder(null, new TreeMap<>(), new TreeMap<>());
    }

    /**
     * Reads every spec in {@code directory}. A spec with mistakes (an unset API key variable, say) does not stop the
     * others: it is kept as broken, with its problems, which the server logs and answers when a client names it. So
     * are two files that name the same spec ({@code x.yaml} and {@code x.yml}: neither is served) and a file whose
     * name cannot name a spec.
     *
     * @throws ConfigurationException if the folder cannot be listed
     */
    static SpecFolder load(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new ConfigurationException("The spec folder " + directory + " is not a directory; give --spec-dir"
                    + " a folder of .yaml team specs");
        }
        Map<String, LoadedSpec> specs = new TreeMap<>();
        Map<String, String> broken = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(file -> {
                        String name = file.getFileName().toString();
                        return Files.isRegularFile(file) && (name.endsWith(".yaml") || name.endsWith(".yml"));
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ConfigurationException("Cannot list the spec folder " + directory + ": " + e.getMessage());
        }
        for (Path file : files) {
            String fileName = file.getFileName().toString();
            String name = fileName.substring(0, fileName.lastIndexOf('.'));
            // A file the folder cannot serve is listed with its problem, as a spec with mistakes is: it does not
            // stop the server.
            if (!Checks.isName(name)) {
                broken.put(
                        fileName,
                        file + ": the file name '" + name + "' cannot name a spec in URLs: "
                                + Checks.nameProblem(name, "a spec name") + "; rename the file");
                continue;
            }
            if (specs.containsKey(name) || broken.containsKey(name)) {
                specs.remove(name);
                broken.put(
                        name,
                        file + ": another file is also named '" + name + "' (.yaml and .yml): neither is"
                                + " served until one is removed");
                continue;
            }
            try {
                String yaml = Files.readString(file, StandardCharsets.UTF_8);
                specs.put(
                        name,
                        new LoadedSpec(
                                SpecLoader.load(file),
                                name,
                                file.toString(),
                                file.toAbsolutePath().getParent(),
                                true,
                                yaml));
            } catch (SpecException e) {
                broken.put(name, e.getMessage());
            } catch (IOException e) {
                broken.put(name, file + ": cannot read it: " + e.getMessage());
            }
        }
        return new SpecFolder(directory, specs, broken);
    }

    /** The specs that could not be read, by name, with their problems. */
    Map<String, String> broken() {
        return broken;
    }

    /** The spec named {@code name}, if the folder has it. */
    Optional<LoadedSpec> spec(String name) {
        return Optional.ofNullable(specs.get(name));
    }

    /** Every spec, by name in order. */
    Map<String, LoadedSpec> specs() {
        return specs;
    }

    /** The folder, or null without one. */
    @Nullable
    Path directory() {
        return directory;
    }
}
