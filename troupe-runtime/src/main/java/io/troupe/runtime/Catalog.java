package io.troupe.runtime;

import io.troupe.api.model.LanguageModel;
import io.troupe.api.tool.Tool;
import java.util.Optional;

/**
 * Models and tools that a runtime finds by name while it runs, beside those registered with {@link
 * TroupeRuntime.Builder#model} and {@link TroupeRuntime.Builder#tool}: the seam for hosts that build them as specs
 * arrive, such as a server that runs specs sent over HTTP. Registered names win; the catalog is asked only for names
 * that are not registered.
 *
 * <p>A run that names a model or tool that neither has cannot start, and an unfinished run waits, untouched, until
 * one of them has it. Models are used as the catalog gives them: wrap remote ones in {@link
 * io.troupe.runtime.resilience.ResilientModel} yourself. A tool's name must be the name of its definition.
 *
 * <p>The runtime asks on every model and tool call, from many threads: answer from memory, at once, and be
 * thread-safe.
 */
public interface Catalog {
    /** The model that agents name {@code name}, if this catalog has it. */
    Optional<LanguageModel> model(String name);

    /** The tool that agents name {@code name}, if this catalog has it. */
    Optional<Tool> tool(String name);

    /** A catalog without models or tools: the default. */
    static Catalog empty() {
        return Empty.INSTANCE;
    }

    /** The empty catalog. */
    enum Empty implements Catalog {
        INSTANCE;

        @Override
        public Optional<LanguageModel> model(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<Tool> tool(String name) {
            return Optional.empty();
        }
    }
}
