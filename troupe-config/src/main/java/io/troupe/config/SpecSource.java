package io.troupe.config;

import io.troupe.api.Checks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a run's spec came from, kept with the run in its journaled metadata so that any runtime can rebuild the run's
 * models and tools and resume it: the spec's path and its YAML text as written ({@code ${VAR}} references unexpanded,
 * so that no secret is journaled), and the command-line choices that changed it.
 *
 * @param path the spec file, absolute; relative paths in the spec are resolved against its folder
 * @param yaml the spec's text as it was when the run started
 * @param localModel the {@code --model} that replaced the spec's llama.cpp models, or null
 * @param plugins the {@code --plugins} folder, or null
 */
public record SpecSource(
        Path path,
        String yaml,
        @Nullable String localModel,
        @Nullable Path plugins) {
    /** The metadata keys. */
    public static final String PATH = "troupe.spec.path";

    public static final String YAML = "troupe.spec.yaml";
    public static final String LOCAL_MODEL = "troupe.spec.model";
    public static final String PLUGINS = "troupe.spec.plugins";

    public SpecSource {
        Checks.notNull(path, "SpecSource path");
        Checks.notNull(yaml, "SpecSource yaml");
        path = path.toAbsolutePath().normalize();
    }

    /**
     * The source of the spec in {@code file}, as read now.
     *
     * @throws SpecException if the file cannot be read
     */
    public static SpecSource read(Path file, @Nullable String localModel, @Nullable Path plugins) {
        try {
            return new SpecSource(file, Files.readString(file, StandardCharsets.UTF_8), localModel, plugins);
        } catch (java.io.IOException e) {
            throw new SpecException(List.of(new Problem(
                    file.toString(),
                    0,
                    0,
                    "cannot read the spec: " + e.getMessage(),
                    "check the path and permissions")));
        }
    }

    /**
     * This source with the spec's top-level {@code task:} left out: a run journals its task itself (through its
     * guardrails: redacted when a PII guardrail covers the task), and resuming never reads it from the spec, so the
     * journaled spec need not hold it again, raw. The text is kept as it is when the task is not a block-style key of
     * its own lines (a flow-style spec), or the spec cannot be read.
     */
    public SpecSource withoutTask() {
        List<Problem> problems = new java.util.ArrayList<>();
        if (!(YamlTree.parse(yaml, path.toString(), problems) instanceof YamlTree.MapNode root)
                || !(root.fields().get("task") instanceof YamlTree.Field task)
                || task.keyPos().column() != 1) {
            return this;
        }
        int from = task.keyPos().line();
        int to = root.fields().values().stream()
                .mapToInt(field -> field.keyPos().line())
                .filter(line -> line > from)
                .min()
                .orElse(Integer.MAX_VALUE);
        List<String> lines = yaml.lines().toList();
        StringBuilder kept = new StringBuilder(yaml.length());
        for (int line = 1; line <= lines.size(); line++) {
            if (line < from || line >= to) {
                kept.append(lines.get(line - 1)).append('\n');
            }
        }
        return new SpecSource(path, kept.toString(), localModel, plugins);
    }

    /** The metadata to journal with a run. */
    public Map<String, String> toMetadata() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(PATH, path.toString());
        metadata.put(YAML, yaml);
        if (localModel != null) {
            metadata.put(LOCAL_MODEL, localModel);
        }
        if (plugins != null) {
            metadata.put(PLUGINS, plugins.toAbsolutePath().normalize().toString());
        }
        return metadata;
    }

    /** The source journaled in a run's {@code metadata}, if it has one. */
    public static Optional<SpecSource> fromMetadata(Map<String, String> metadata) {
        String path = metadata.get(PATH);
        String yaml = metadata.get(YAML);
        if (path == null || yaml == null) {
            return Optional.empty();
        }
        String plugins = metadata.get(PLUGINS);
        return Optional.of(new SpecSource(
                Path.of(path), yaml, metadata.get(LOCAL_MODEL), plugins == null ? null : Path.of(plugins)));
    }

    /**
     * The spec, parsed from the journaled text against the process environment, its adapters relative to the spec
     * file's folder as when it was run.
     */
    public ScenarioSpec parse() {
        return SpecLoader.parse(yaml, path.toString()).withAdaptersRelativeTo(SpecLoader.folder(path));
    }
}
