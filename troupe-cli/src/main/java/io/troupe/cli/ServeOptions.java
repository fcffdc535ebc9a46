package io.troupe.cli;

import io.troupe.config.RuntimeSettings;
import io.troupe.server.InlineSpecs;
import io.troupe.server.ServerExtension;
import io.troupe.server.ServerLimits;
import io.troupe.server.TroupeServer;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of {@code troupe serve} and {@code troupe node}: where to listen, the token, specs and limits. */
final class ServeOptions {
    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    @SuppressWarnings("NullAway.Init")
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--host",
            paramLabel = "ADDRESS",
            description = "The address to listen on (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", description = "The HTTP port (default: ${DEFAULT-VALUE}).")
    int port = 8080;

    @Mixin
    JournalOption journal = new JournalOption();

    @Mixin
    AuditDirOption auditDir = new AuditDirOption();

    @Mixin
    TelemetryOption telemetry = new TelemetryOption();

    @Mixin
    AdmissionOption admission = new AdmissionOption();

    @Option(
            names = "--spec-dir",
            paramLabel = "DIR",
            description =
                    "A folder of YAML specs that clients start runs from by name (POST /api/runs {\"spec\": NAME}).")
    @Nullable
    Path specDir;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "A file holding the bearer token clients must send; or set TROUPE_API_TOKEN. Required beyond"
                    + " loopback.")
    @Nullable
    Path tokenFile;

    @Option(
            names = "--allow-unauthenticated",
            description = "Serve without a token on a private address (never on a public one or on 0.0.0.0).")
    boolean allowUnauthenticated;

    @Option(
            names = "--inline-specs",
            paramLabel = "POLICY",
            description = "What inline specs may do: off, restricted (default: no environment variables; only local"
                    + " catalog models, clock, calculator, and what the spec folder defines) or trusted.")
    InlineSpecs inlineSpecs = InlineSpecs.RESTRICTED;

    @Option(
            names = "--max-body",
            paramLabel = "BYTES",
            description = "The largest request body in bytes (default: ${DEFAULT-VALUE}).")
    long maxBody = ServerLimits.DEFAULT.maxBodyBytes();

    @Option(
            names = "--plugins",
            paramLabel = "DIR",
            description = "A folder of plugin jars whose tools specs may name.")
    @Nullable
    Path plugins;

    @Option(
            names = "--require-approval",
            paramLabel = "TOOL",
            split = ",",
            description = "Tools whose every call waits for a person (GET /api/approvals, then approve or deny).")
    List<String> requireApproval = List.of();

    @Option(
            names = "--no-a2a",
            description = "Do not serve the spec folder's specs as A2A agents (by default each is one, at /a2a/NAME).")
    boolean noA2a;

    @Option(
            names = "--no-openai",
            description =
                    "Do not serve the local GGUF models over the OpenAI API (by default at /v1/chat/completions).")
    boolean noOpenAi;

    /** A server builder with these options and the extensions on the class path. */
    TroupeServer.Builder builder() {
        if (maxBody < 1024) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--max-body must be at least 1024 bytes, got " + maxBody);
        }
        if (admission.problem() != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), admission.problem());
        }
        TroupeServer.Builder builder = TroupeServer.builder()
                .host(host)
                .port(port)
                .journal(journal.journal())
                .auditDirectory(auditDir.resolve(journal))
                .specFolder(specDir)
                .token(token())
                .allowUnauthenticated(allowUnauthenticated)
                .inlineSpecs(inlineSpecs)
                .limits(new ServerLimits(maxBody, ServerLimits.DEFAULT.maxSpecChars()))
                .plugins(plugins)
                .requireApproval(new LinkedHashSet<>(requireApproval))
                .telemetry(telemetry.settings())
                .a2a(!noA2a)
                .openAi(!noOpenAi)
                .runtime(runtime -> admission.apply(runtime, RuntimeSettings.DEFAULTS));
        for (ServerExtension extension : ServiceLoader.load(ServerExtension.class)) {
            builder.extension(extension);
        }
        return builder;
    }

    private @Nullable String token() {
        return BearerToken.read(tokenFile, "TROUPE_API_TOKEN");
    }

    /** What the server prints when it is up. */
    String banner(TroupeServer server) {
        return "Troupe serves on " + server.uri() + " (journal " + journal.describe() + "; the console: open "
                + server.uri() + "/ in a browser)"
                + (specDir == null ? "" : "; specs from " + specDir)
                + "; "
                + (tokenFile != null || System.getenv("TROUPE_API_TOKEN") != null
                        ? "clients need the token"
                        : "no token: only this machine can connect")
                + (server.resumed() == 0 ? "" : "; resumed " + server.resumed() + " unfinished runs")
                + (telemetry.settings().exports()
                        ? "; traces and metrics go over OTLP to "
                                + telemetry.settings().endpoint()
                        : "");
    }
}
