package io.troupe.server;

import io.troupe.interop.a2a.PerformativeMechanism;
import io.troupe.launch.SpecGuard;
import io.troupe.models.llamacpp.LlamaCppModels;
import io.troupe.runtime.Journal;
import io.troupe.runtime.TroupeRuntime;
import io.troupe.telemetry.Telemetry;
import io.troupe.telemetry.TelemetrySettings;
import io.troupe.tools.PluginTools;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The side of a {@link TroupeServer} that runs teams: the node on the journal, the shelf that stocks it with the specs'
 * models and tools (the plugins' included), the guards that wrap the specs' runs, and the resumer that wakes the runs
 * the journal holds unfinished. These parts are kept apart from the HTTP side ({@link ServerApp}) because they live
 * longer: they are started before any route can be made, since the routes serve them, and closed only after the server
 * has stopped answering, so that no request reaches a node that is closing.
 *
 * @param node the node, which closes the telemetry when it closes
 * @param specs the specs clients start runs from: the spec folder's and the inline ones the policy accepts
 * @param shelf the specs' models and tools, and the plugins
 * @param guards the specs' guardrails, and the node's catalog of teams
 * @param resumer resumes the journal's unfinished runs, and says why a run waits
 */
record ServerNode(MeteredNode node, Specs specs, SpecShelf shelf, ServerGuards guards, Resumer resumer)
        implements AutoCloseable {
    /**
     * Starts the node, with the server's own settings first (the journal, the guards as its catalog, no resuming of
     * its own, the performatives mechanism, the approvals' interceptor), then {@code runtime}'s, in order.
     *
     * @param auditDirectory where the guarded runs' audit logs go, or null for where {@code troupe audit verify}
     *     looks for the journal
     * @param approvalTools the tools whose every call waits for a person's approval
     */
    static ServerNode start(
            Specs specs,
            TelemetrySettings settings,
            @Nullable Path plugins,
            @Nullable LlamaCppModels modelPool,
            @Nullable Path auditDirectory,
            Journal journal,
            Set<String> approvalTools,
            List<Consumer<TroupeRuntime.Builder>> runtime) {
        Telemetry telemetry = Telemetry.create(settings);
        SpecShelf shelf = new SpecShelf(plugins == null ? null : PluginTools.load(plugins), telemetry, modelPool);
        shelf.reserve(specs.folder().specs().values());
        ServerGuards guards = new ServerGuards(
                specs,
                shelf,
                auditDirectory != null
                        ? auditDirectory
                        : SpecGuard.auditDirectory(journal).orElse(null),
                System::getenv);
        MeteredNode node = null;
        try {
            TroupeRuntime.Builder builder =
                    TroupeRuntime.builder().journal(journal).catalog(guards).resume(false);
            builder.mechanism(PerformativeMechanism.NAME, PerformativeMechanism::new);
            if (!approvalTools.isEmpty()) {
                builder.interceptor(ToolApprovals.NAME, new ToolApprovals(approvalTools));
            }
            guards.register(builder);
            runtime.forEach(customizer -> customizer.accept(builder));
            node = new MeteredNode(builder.start(), telemetry);
            guards.bind(node);
        } catch (RuntimeException e) {
            if (node != null) {
                node.close(); // and the telemetry
            } else {
                telemetry.close();
            }
            guards.close();
            shelf.close();
            throw e;
        }
        return new ServerNode(node, specs, shelf, guards, new Resumer(node, specs, shelf, guards));
    }

    /**
     * Stops the node (runs in progress stay in the journal), then the guards, then releases the shelf's models; each
     * even if the one before failed.
     */
    @Override
    public void close() {
        try {
            node.close();
        } finally {
            try {
                guards.close();
            } finally {
                shelf.close();
            }
        }
    }
}
