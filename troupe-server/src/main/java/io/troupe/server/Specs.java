package io.troupe.server;

import io.troupe.config.ScenarioSpec;
import io.troupe.config.SpecException;
import io.troupe.config.SpecLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where the specs of API runs come from, and how a run keeps its spec: the spec folder's specs by name, and inline
 * YAML under the server's {@link InlineSpecs} policy. Each run journals its spec in its metadata (the name and
 * digest of a folder spec, or the text of an inline one), so that any node on the journal can resume it.
 */
final class Specs {
    /** Metadata key: the spec folder's name of the spec, or {@value #INLINE} for an inline spec. */
    static final String SPEC = "troupe.spec";
    /** Metadata key: the SHA-256 of the spec's text. */
    static final String SHA256 = "troupe.spec.sha256";
    /** Metadata key: the text of an inline spec. */
    static final String YAML = "troupe.spec.yaml";
    /** Metadata key: {@code trusted} or {@code restricted}, how an inline spec was accepted. */
    static final String TRUST = "troupe.spec.trust";

    static final String INLINE = "inline";

    private final SpecFolder folder;
    private final InlineSpecs policy;
    private final Path inlineBase;

    Specs(SpecFolder folder, InlineSpecs policy, Path inlineBase) {
        this.folder = folder;
        this.policy = policy;
        this.inlineBase = inlineBase;
    }

    SpecFolder folder() {
        return folder;
    }

    /**
     * The folder's spec named {@code name}.
     *
     * @throws ApiException 404 {@code spec_not_found}, naming the specs there are
     */
    LoadedSpec named(String name) {
        String broken = folder.broken().get(name);
        if (broken != null) {
            throw new ApiException(
                    422,
                    "spec_invalid",
                    "The spec '" + name + "' in the server's spec folder has mistakes; its operator must fix them:\n"
                            + broken);
        }
        return folder.spec(name)
                .orElseThrow(() -> ApiException.notFound(
                        "spec_not_found",
                        "There is no spec named '" + name + "' in the server's spec folder; "
                                + (folder.specs().isEmpty()
                                        ? "it has none (start the server with --spec-dir DIR)"
                                        : "it has "
                                                + String.join(
                                                        ", ", folder.specs().keySet()))));
    }

    /**
     * An inline spec, read under the server's policy.
     *
     * @throws ApiException 403 {@code inline_specs_off} or {@code spec_refused}, 422 {@code spec_invalid}
     */
    LoadedSpec inline(String yaml) {
        if (policy == InlineSpecs.OFF) {
            throw new ApiException(
                    403,
                    "inline_specs_off",
                    "This server runs only the specs in its spec folder; name one with \"spec\" (GET /api/specs"
                            + " lists them), or start the server with --inline-specs restricted");
        }
        return inline(yaml, policy == InlineSpecs.TRUSTED);
    }

    private LoadedSpec inline(String yaml, boolean trusted) {
        List<String> read = new ArrayList<>();
        Function<String, @Nullable String> env = trusted
                ? System::getenv
                : name -> {
                    read.add(name);
                    return null;
                };
        ScenarioSpec scenario;
        try {
            scenario = SpecLoader.parse(yaml, "inline spec", env);
        } catch (SpecException e) {
            if (!read.isEmpty()) {
                throw refusedEnvironment(read);
            }
            throw new ApiException(
                    422, "spec_invalid", "The inline spec has mistakes (line:column):\n" + e.getMessage());
        }
        if (!read.isEmpty()) {
            throw refusedEnvironment(read);
        }
        return new LoadedSpec(scenario, null, "the inline spec", inlineBase, trusted, yaml);
    }

    private static ApiException refusedEnvironment(List<String> names) {
        return new ApiException(
                403,
                "spec_refused",
                "An inline spec may not read the server's environment, and this one refers to "
                        + names.stream()
                                .distinct()
                                .map(name -> "${" + name + "}")
                                .toList()
                        + ". Put the spec in the server's spec folder (troupe serve --spec-dir) and name it, or start"
                        + " the server with --inline-specs trusted");
    }

    /** The metadata a run keeps for {@code spec}, beside the client's own labels. */
    static Map<String, String> metadata(LoadedSpec spec) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(SPEC, spec.name() != null ? spec.name() : INLINE);
        metadata.put(SHA256, spec.sha256());
        if (spec.name() == null) {
            metadata.put(YAML, spec.yaml());
            metadata.put(TRUST, spec.trusted() ? "trusted" : "restricted");
        }
        return metadata;
    }

    /**
     * What names a run's spec in its metadata (its name or inline mark, digest and trust), or null for a run not
     * started from a spec: runs with the same key need the same models, tools and guard.
     */
    static @Nullable String key(Map<String, String> metadata) {
        String spec = metadata.get(SPEC);
        return spec == null ? null : spec + "\n" + metadata.get(SHA256) + "\n" + metadata.get(TRUST);
    }

    /**
     * The spec a journaled run was started with, for resuming it; never more trusted than the server is now.
     *
     * @return the spec, or null for a run that was not started through the API
     * @throws ApiException when the spec can no longer be read or found, saying why
     */
    @Nullable
    LoadedSpec ofRun(Map<String, String> metadata) {
        String spec = metadata.get(SPEC);
        if (spec == null) {
            return null;
        }
        if (!spec.equals(INLINE)) {
            return named(spec);
        }
        String yaml = metadata.get(YAML);
        if (yaml == null) {
            throw new ApiException(422, "spec_invalid", "the run's metadata has an inline spec without its text");
        }
        boolean trusted = "trusted".equals(metadata.get(TRUST)) && policy == InlineSpecs.TRUSTED;
        return inline(yaml, trusted);
    }
}
