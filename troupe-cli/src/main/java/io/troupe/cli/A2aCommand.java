package io.troupe.cli;

import io.troupe.api.TroupeException;
import io.troupe.api.run.Troupe;
import io.troupe.config.ScenarioSpec;
import io.troupe.config.SpecException;
import io.troupe.config.SpecLoader;
import io.troupe.config.SpecSource;
import io.troupe.guard.Guard;
import io.troupe.interop.a2a.A2aServer;
import io.troupe.interop.a2a.A2aService;
import io.troupe.interop.a2a.PerformativeMechanism;
import io.troupe.launch.SpecGuard;
import io.troupe.launch.SpecModels;
import io.troupe.launch.SpecTools;
import io.troupe.runtime.TroupeRuntime;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code troupe a2a}: Troupe and the Agent2Agent protocol. */
@Command(
        name = "a2a",
        mixinStandardHelpOptions = true,
        description = "Serves a team as an A2A 1.0 agent that other frameworks (and other Troupe teams) can call.",
        subcommands = {A2aCommand.Serve.class})
final class A2aCommand implements Runnable {
    @picocli.CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a command: serve");
    }

    /** {@code troupe a2a serve SPEC}: the team as an A2A agent, on its own port. */
    @Command(
            name = "serve",
            mixinStandardHelpOptions = true,
            description = {
                "Serves the team in SPEC as an A2A 1.0 agent: JSON-RPC at /a2a (SendMessage, SendStreamingMessage,"
                        + " GetTask, ListTasks, CancelTask, SubscribeToTask) and its Agent Card at"
                        + " /.well-known/agent-card.json. Troupe's performatives (CFP, PROPOSE, ACCEPT...) cross as"
                        + " a declared extension, so the team can bid in another team's contract-net.",
                "Each message is a run in the journal. Stop with Ctrl-C or SIGTERM; runs in progress stay in the"
                        + " journal. 'troupe serve' serves every spec of its spec folder over A2A too."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  troupe a2a serve examples/story-workshop.yaml --port 8081",
                "  TROUPE_A2A_TOKEN=$(openssl rand -hex 32) troupe a2a serve team.yaml --host 0.0.0.0 \\",
                "       --public-url https://agents.example.com",
                "",
                "In another team's spec:",
                "  models:",
                "    stories: { provider: a2a, url: http://127.0.0.1:8081/a2a, token: $${TROUPE_A2A_TOKEN} }"
            })
    static final class Serve implements Callable<Integer> {
        @Parameters(paramLabel = "SPEC", description = "The team spec, a YAML file.")
        @SuppressWarnings("NullAway.Init")
        Path spec;

        @Option(
                names = "--host",
                paramLabel = "ADDRESS",
                description = "The address to listen on (default: ${DEFAULT-VALUE}); beyond loopback a token is"
                        + " required.")
        String host = "127.0.0.1";

        @Option(names = "--port", paramLabel = "PORT", description = "The port, 0 for any (default: ${DEFAULT-VALUE}).")
        int port = 8081;

        @Option(
                names = "--token-file",
                paramLabel = "FILE",
                description = "A file holding the bearer token clients must send; or set TROUPE_A2A_TOKEN.")
        @Nullable
        Path tokenFile;

        @Option(
                names = "--public-url",
                paramLabel = "URL",
                description = "The address clients reach this server at, for the card (behind a proxy); by default"
                        + " the address each request came to.")
        @Nullable
        String publicUrl;

        @Option(
                names = "--name",
                paramLabel = "NAME",
                description = "The agent's name in its card and its runs' metadata (default: the team's name).")
        @Nullable
        String name;

        @Option(names = "--plugins", paramLabel = "DIR", description = "A directory of plugin jars with tools.")
        @Nullable
        Path plugins;

        @Mixin
        JournalOption journal = new JournalOption();

        @Mixin
        AuditDirOption auditDir = new AuditDirOption();

        @Override
        public Integer call() throws InterruptedException {
            ScenarioSpec scenario;
            SpecSource source;
            try {
                scenario = SpecLoader.load(spec);
                source = SpecSource.read(spec, null, plugins);
            } catch (SpecException e) {
                System.err.println(e.getMessage());
                return Main.USAGE;
            }
            try (SpecTools tools = SpecTools.build(scenario, spec, plugins);
                    SpecModels models = SpecModels.build(scenario, System.err, new Notices(System.err))) {
                TroupeRuntime.Builder builder = TroupeRuntime.builder()
                        .journal(journal.journal())
                        .resume(false)
                        .mechanism(PerformativeMechanism.NAME, PerformativeMechanism::new);
                models.models().forEach(builder::model);
                // The spec's guardrails hold for the served team as for troupe run, MCP tools included.
                Guard guard = SpecGuard.build(
                        scenario,
                        auditDir.resolve(journal),
                        System::getenv,
                        name -> java.util.Optional.ofNullable(models.models().get(name)));
                SpecGuard.install(guard, builder, tools.tools());
                try (@Nullable Guard closedLast = guard;
                        Troupe troupe = builder.start()) {
                    SpecGuard.bind(guard, troupe);
                    A2aService.Settings settings =
                            A2aService.Settings.forTeam(scenario.team()).withRunMetadata(source.toMetadata());
                    if (name != null) {
                        settings = settings.withAgentName(name);
                    }
                    A2aServer server = A2aServer.start(
                            troupe,
                            scenario.team(),
                            tools.tools(),
                            settings,
                            new A2aServer.Options(host, port, token(), publicUrl));
                    return serve(server, settings);
                }
            } catch (TroupeException e) {
                System.err.println("error: " + Main.describe(e));
                return Main.exitCode(e);
            }
        }

        private static int serve(A2aServer server, A2aService.Settings settings) throws InterruptedException {
            CountDownLatch stopped = new CountDownLatch(1);
            CountDownLatch closed = new CountDownLatch(1);
            Thread hook = new Thread(
                    () -> {
                        stopped.countDown();
                        try {
                            closed.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "troupe-a2a-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            System.err.println("Serving A2A agent '" + settings.agentName() + "' at " + server.uri() + A2aServer.PATH
                    + " (card: " + server.cardUri() + ")");
            try {
                stopped.await();
                System.err.println("Stopping: runs in progress stay in the journal");
            } finally {
                server.close();
                closed.countDown();
            }
            return Main.OK;
        }

        private @Nullable String token() {
            return BearerToken.read(tokenFile, "TROUPE_A2A_TOKEN");
        }
    }
}
