package io.troupe.runtime;

import io.troupe.api.model.LanguageModel;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.Tool;
import io.troupe.runtime.resilience.RateLimit;
import java.util.Map;
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

    /**
     * The rate limit that calls to the model {@code name} share with others across the cluster, if any; none by
     * default. Asked before every call of a model that is not registered with a limit of its own.
     */
    default Optional<RateLimit> rateLimit(String name) {
        return Optional.empty();
    }

    /**
     * Makes ready what a run needs before this node starts or resumes it, when it names models or tools that neither
     * the runtime nor the catalog has yet: in a cluster, a run started through one node may be placed on, or move to,
     * any other. A catalog that builds models and tools from specs finds the run's spec in what the run keeps with it
     * ({@code metadata}, as journaled in its {@code RunStarted}; a child run carries its parent's).
     *
     * <p>Called on a virtual thread, never on the run's own; it may block. A run that still lacks something afterwards
     * waits, untouched, for a node that has it (or, if it is new, fails at the call that needs it). An exception is
     * logged and treated the same way. Does nothing by default.
     */
    default void prepare(TeamSpec team, Map<String, String> metadata) throws Exception {}

    /**
     * Whether this node has made ready what a run needs beyond the models and tools it names, such as the guard of the
     * run's spec: when it answers false, the runtime calls {@link #prepare} before it starts or resumes the run here,
     * even though every model and tool is at hand. Asked on the run's own thread before it starts or resumes: answer
     * from memory, at once. True by default.
     */
    default boolean isPrepared(TeamSpec team, Map<String, String> metadata) {
        return true;
    }

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
