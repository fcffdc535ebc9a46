package io.troupe.server;

import io.troupe.api.Checks;
import io.troupe.api.ConfigurationException;
import io.troupe.interop.openai.ServedModels;
import io.troupe.models.llamacpp.LlamaCppModels;
import io.troupe.runtime.Journal;
import io.troupe.runtime.TroupeNode;
import io.troupe.runtime.TroupeRuntime;
import io.troupe.telemetry.TelemetrySettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Troupe as a service: a Troupe node with an HTTP API, on Javalin.
 *
 * <pre>{@code
 * try (TroupeServer server = TroupeServer.builder()
 *         .port(8080)
 *         .specFolder(Path.of("specs"))
 *         .journal(Journal.h2(Path.of("troupe-data")))
 *         .start()) {
 *     // POST /api/runs {"spec": "support", "task": "..."}, GET /api/runs/{id}/stream, ...
 * }
 * }</pre>
 *
 * <p>Runs are started from specs, by name from the spec folder or inline, and each run journals its spec so that
 * this server, restarted, or any node on the same journal, resumes it. On start the server resumes every unfinished
 * run in its journal. It listens on 127.0.0.1 unless told otherwise, and beyond loopback it needs a bearer token.
 * Thread-safe; close it to stop the server and the node (runs in progress stay in the journal).
 */
public final class TroupeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TroupeServer.class);

    private final ServerApp app;
    private final ServerNode parts;
    private final AtomicBoolean stopping;
    private final String host;
    private final int resumed;

    private TroupeServer(ServerApp app, ServerNode parts, AtomicBoolean stopping, String host, int resumed) {
        this.app = app;
        this.parts = parts;
        this.stopping = stopping;
        this.host = host;
        this.resumed = resumed;
    }

    /** A builder with the defaults: 127.0.0.1:8080, no token, the default H2 journal, restricted inline specs. */
    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on (the one chosen when it was asked for port 0). */
    public int port() {
        return app.port();
    }

    /** The server's address, such as {@code http://127.0.0.1:8080}. */
    public URI uri() {
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return URI.create("http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + port());
    }

    /** The node the server runs teams on. */
    public TroupeNode node() {
        return parts.node();
    }

    /** How many unfinished runs the server resumed when it started. */
    public int resumed() {
        return resumed;
    }

    /** The paths and methods of the OpenAPI document, for tests. */
    java.util.Map<String, Set<String>> describedOperations() {
        return app.openApi().operations();
    }

    /**
     * Stops accepting requests (readiness turns false at once), ends the open streams, stops the node and releases
     * the models. Runs in progress stay in the journal and resume when a server starts on it again.
     */
    @Override
    public void close() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        try {
            app.close();
        } finally {
            parts.close();
        }
    }

    /** Configures and starts a server. Not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private @Nullable String token;
        private boolean allowUnauthenticated;
        private @Nullable Path specFolder;
        private InlineSpecs inlineSpecs = InlineSpecs.RESTRICTED;
        private ServerLimits limits = ServerLimits.DEFAULT;
        private Journal journal = Journal.h2(TroupeRuntime.defaultJournalDirectory());
        private final List<Consumer<TroupeRuntime.Builder>> runtime = new ArrayList<>();
        private @Nullable Path plugins;
        private final Set<String> approvalTools = new LinkedHashSet<>();
        private final List<ServerExtension> extensions = new ArrayList<>();
        private @Nullable Path auditDirectory;
        private @Nullable TelemetrySettings telemetry;
        private boolean a2a = true;
        private boolean openAi = true;
        private @Nullable Path modelDirectory;
        private @Nullable LlamaCppModels modelPool;
        private @Nullable ServedModels servedModels;

        private Builder() {}

        /**
         * Whether the spec folder's specs are also A2A 1.0 agents, at {@code /a2a/{spec}} with their cards; on by
         * default.
         */
        public Builder a2a(boolean serve) {
            this.a2a = serve;
            return this;
        }

        /**
         * Whether the local GGUF models are served over the OpenAI API at {@code /v1/chat/completions} and {@code
         * /v1/models}; on by default.
         */
        public Builder openAi(boolean serve) {
            this.openAi = serve;
            return this;
        }

        /** Where the GGUF models served over the OpenAI API are; {@code TROUPE_MODEL_DIR} by default. */
        public Builder modelDirectory(@Nullable Path directory) {
            this.modelDirectory = directory;
            return this;
        }

        /**
         * The pool the server's local models load into, for a program that also calls them in process: each file
         * then loads once, and the OpenAI-compatible endpoint serves the very model the program holds. The program
         * closes the pool after the server. By default the server has a pool of its own.
         */
        public Builder modelPool(@Nullable LlamaCppModels pool) {
            this.modelPool = pool;
            return this;
        }

        /** The models {@code /v1} serves instead of the model directory's GGUF files, for tests. */
        Builder servedModels(@Nullable ServedModels models) {
            this.servedModels = models;
            return this;
        }

        /** The address to listen on; 127.0.0.1 by default. Beyond loopback the server needs a {@link #token}. */
        public Builder host(String host) {
            this.host = Checks.notBlank(host, "host");
            return this;
        }

        /** The port; 8080 by default, 0 for any free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new ConfigurationException("The port must be from 0 to 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * The bearer token clients must send ({@code Authorization: Bearer <token>}), at least 16 characters; none by
         * default. With a token, every route but the health probes and the OpenAPI document needs it.
         */
        public Builder token(@Nullable String token) {
            this.token = token;
            return this;
        }

        /** Allows a server without a token on a private (not public) address. Off by default. */
        public Builder allowUnauthenticated(boolean allow) {
            this.allowUnauthenticated = allow;
            return this;
        }

        /** A folder of YAML specs that clients start runs from by name; they are trusted. None by default. */
        public Builder specFolder(@Nullable Path folder) {
            this.specFolder = folder;
            return this;
        }

        /** What the server accepts as an inline spec; {@link InlineSpecs#RESTRICTED} by default. */
        public Builder inlineSpecs(InlineSpecs policy) {
            this.inlineSpecs = Checks.notNull(policy, "inline spec policy");
            return this;
        }

        /** Limits on request bodies and specs. */
        public Builder limits(ServerLimits limits) {
            this.limits = Checks.notNull(limits, "limits");
            return this;
        }

        /** The journal; an H2 file in {@link TroupeRuntime#defaultJournalDirectory()} by default. */
        public Builder journal(Journal journal) {
            this.journal = Checks.notNull(journal, "journal");
            return this;
        }

        /**
         * Configures the node further: models, tools and interceptors registered in Java, Pekko settings (a cluster's
         * seed nodes, say). Called in order, after the server's own settings.
         */
        public Builder runtime(Consumer<TroupeRuntime.Builder> customizer) {
            this.runtime.add(Checks.notNull(customizer, "runtime customizer"));
            return this;
        }

        /** A folder of plugin jars whose tools specs may name. None by default. */
        public Builder plugins(@Nullable Path folder) {
            this.plugins = folder;
            return this;
        }

        /** Tools whose every call waits for a person's approval through the API. None by default. */
        public Builder requireApproval(Set<String> tools) {
            for (String tool : tools) {
                approvalTools.add(Checks.name(tool, "Tool name"));
            }
            return this;
        }

        /**
         * Where the audit logs of guarded runs go; by default where {@code troupe audit verify} looks for the journal:
         * {@code audit} in an H2 journal's directory, or {@code audit/postgresql-HOST-PORT-DATABASE} beside the
         * default journal directory for a PostgreSQL journal (see {@code SpecGuard#auditDirectory(Journal)}). Nodes
         * that share a PostgreSQL journal should share this directory too.
         */
        public Builder auditDirectory(@Nullable Path directory) {
            this.auditDirectory = directory;
            return this;
        }

        /**
         * Where to export traces and metrics over OTLP. By default the OpenTelemetry environment variables say ({@code
         * OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_SERVICE_NAME}, ...); without them nothing is exported, and {@code
         * GET /metrics} still shows the meters. When exporting, the calls of the specs' models carry their {@code chat}
         * span's W3C {@code traceparent} to HTTP providers.
         */
        public Builder telemetry(TelemetrySettings settings) {
            this.telemetry = Checks.notNull(settings, "telemetry settings");
            return this;
        }

        /** Adds routes; see {@link ServerExtension}. */
        public Builder extension(ServerExtension extension) {
            extensions.add(Checks.notNull(extension, "extension"));
            return this;
        }

        /**
         * Starts the node and the server, then resumes the unfinished runs in the journal.
         *
         * @throws ConfigurationException if the server may not listen where asked without a token, a spec in the
         *     spec folder is invalid, the journal cannot be used, or the port is taken
         */
        public TroupeServer start() {
            Binding.check(host, token, allowUnauthenticated);
            Specs specs = new Specs(
                    specFolder == null ? SpecFolder.none() : SpecFolder.load(specFolder),
                    inlineSpecs,
                    specFolder != null
                            ? specFolder.toAbsolutePath()
                            : Path.of("").toAbsolutePath());
            ServerNode parts = ServerNode.start(
                    specs,
                    telemetry != null ? telemetry : TelemetrySettings.fromEnvironment(System::getenv),
                    plugins,
                    modelPool,
                    auditDirectory,
                    journal,
                    approvalTools,
                    runtime);
            ServerApp app = null;
            try {
                AtomicBoolean stopping = new AtomicBoolean();
                app = ServerApp.start(
                        parts, stopping::get, host, port, token, limits, a2a, openAiRoutes(parts.shelf()), extensions);
                specs.folder()
                        .broken()
                        .forEach((name, problems) ->
                                LOG.warn("Spec '{}' cannot be used until its mistakes are fixed:\n{}", name, problems));
                int resumed = parts.resumer().resumeUnfinished();
                if (token == null) {
                    LOG.warn("The API on {}:{} has no token: anyone who can reach it can use it", host, app.port());
                }
                return new TroupeServer(app, parts, stopping, host, resumed);
            } catch (RuntimeException e) {
                // Listening, then failing to resume the runs (say): the HTTP side stops first, as in close().
                try {
                    if (app != null) {
                        app.close();
                    }
                } finally {
                    parts.close();
                }
                throw e;
            }
        }

        /** The OpenAI API's routes, or null when it is not served: the models given for tests, or the GGUF files. */
        private @Nullable OpenAiRoutes openAiRoutes(SpecShelf shelf) {
            return !openAi
                    ? null
                    : servedModels != null
                            ? new OpenAiRoutes(servedModels)
                            : new OpenAiRoutes(
                                    shelf.pool(),
                                    modelDirectory != null ? modelDirectory : OpenAiRoutes.defaultDirectory());
        }
    }
}
