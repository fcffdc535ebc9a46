package io.troupe.cli;

import io.troupe.api.TroupeException;
import io.troupe.api.run.Troupe;
import io.troupe.api.tool.Tool;
import io.troupe.config.ScenarioSpec;
import io.troupe.config.SpecException;
import io.troupe.config.SpecLoader;
import io.troupe.config.SpecSource;
import io.troupe.guard.Guard;
import io.troupe.interop.mcp.McpTeamServer;
import io.troupe.launch.SpecGuard;
import io.troupe.launch.SpecModels;
import io.troupe.launch.SpecTools;
import io.troupe.runtime.TroupeRuntime;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code troupe mcp}: Troupe and the Model Context Protocol. */
@Command(
        name = "mcp",
        mixinStandardHelpOptions = true,
        description = "Serves a team to MCP clients (Claude Desktop, IDEs, other agents).",
        subcommands = {McpCommand.Serve.class})
final class McpCommand implements Runnable {
    @picocli.CommandLine.Spec
    @SuppressWarnings("NullAway.Init")
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a command: serve");
    }

    /** {@code troupe mcp serve SPEC}: the team as an MCP tool, over stdio or Streamable HTTP. */
    @Command(
            name = "serve",
            mixinStandardHelpOptions = true,
            description = {
                "Serves the team in SPEC as an MCP tool: the task in, the team's answer out, a progress notification"
                        + " for each step. Over stdio by default (an MCP client starts this command); with --port over"
                        + " Streamable HTTP at /mcp, where Host and Origin must be loopback or allowed.",
                "Stops gracefully on end of input (stdio) or a signal: runs in flight get 30 s, then are cancelled;"
                        + " they stay in the journal."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  troupe mcp serve examples/story-workshop.yaml",
                "  troupe mcp serve my-team.yaml --port 3001 --tools calculator,web",
                "  troupe mcp serve my-team.yaml --port 3001 --host 0.0.0.0 --allow-host troupe.example.com:*",
                "",
                "Claude Desktop (claude_desktop_config.json):",
                "  {\"mcpServers\": {\"stories\": {\"command\": \"troupe\", \"args\": [\"mcp\", \"serve\","
                        + " \"/path/story-workshop.yaml\"]}}}"
            })
    static final class Serve implements Callable<Integer> {
        @Parameters(paramLabel = "SPEC", description = "The team spec, a YAML file.")
        @SuppressWarnings("NullAway.Init")
        Path spec;

        @Option(names = "--port", paramLabel = "N", description = "Serve over Streamable HTTP on this port (0: any).")
        @Nullable
        Integer port;

        @Option(
                names = "--host",
                paramLabel = "ADDRESS",
                description = "The address to listen on; 127.0.0.1 by default.")
        String host = "127.0.0.1";

        @Option(
                names = "--tools",
                split = ",",
                paramLabel = "NAME",
                description = "Tools of the spec to serve too, each as its own MCP tool.")
        List<String> tools = new ArrayList<>();

        @Option(
                names = "--allow-host",
                paramLabel = "HOST[:PORT|:*]",
                description = "A Host header to accept over HTTP besides loopback; repeatable.")
        List<String> allowedHosts = new ArrayList<>();

        @Option(
                names = "--allow-origin",
                paramLabel = "ORIGIN",
                description = "An Origin header to accept over HTTP besides loopback (e.g. https://app.example.com);"
                        + " repeatable.")
        List<String> allowedOrigins = new ArrayList<>();

        @Option(names = "--plugins", paramLabel = "DIR", description = "A directory of plugin jars with tools.")
        @Nullable
        Path plugins;

        @Mixin
        JournalOption journal = new JournalOption();

        @Mixin
        AuditDirOption auditDir = new AuditDirOption();

        @Override
        public Integer call() {
            ScenarioSpec scenario;
            SpecSource source;
            try {
                scenario = SpecLoader.load(spec);
                source = SpecSource.read(spec, null, plugins);
            } catch (SpecException e) {
                System.err.println(e.getMessage());
                return Main.USAGE;
            }
            // Over stdio, standard output is the protocol: everything else goes to standard error.
            PrintStream protocol = System.out;
            System.setOut(System.err);
            try (SpecTools specTools = SpecTools.build(scenario, spec, plugins);
                    SpecModels models = SpecModels.build(scenario, System.err, new Notices(System.err))) {
                List<Tool> served = served(specTools.tools());
                if (served == null) {
                    return Main.USAGE;
                }
                TroupeRuntime.Builder builder =
                        TroupeRuntime.builder().journal(journal.journal()).resume(false);
                models.models().forEach(builder::model);
                // The spec's guardrails hold for the served team as for troupe run, MCP tools included.
                Guard guard = SpecGuard.build(
                        scenario,
                        auditDir.resolve(journal),
                        System::getenv,
                        name -> java.util.Optional.ofNullable(models.models().get(name)));
                SpecGuard.install(guard, builder, specTools.tools());
                try (@Nullable Guard closedLast = guard;
                        Troupe troupe = builder.start()) {
                    SpecGuard.bind(guard, troupe);
                    McpTeamServer.Settings settings = McpTeamServer.Settings.forTeam(scenario.team())
                            .withAllowed(allowedHosts, allowedOrigins)
                            .withRunMetadata(source.toMetadata());
                    return serve(troupe, scenario, served, settings, protocol);
                }
            } catch (TroupeException e) {
                System.err.println("error: " + Main.describe(e));
                return Main.exitCode(e);
            } finally {
                System.setOut(protocol);
            }
        }

        private int serve(
                Troupe troupe,
                ScenarioSpec scenario,
                List<Tool> served,
                McpTeamServer.Settings settings,
                PrintStream protocol) {
            McpTeamServer server = port == null
                    ? McpTeamServer.stdio(troupe, scenario.team(), served, settings, System.in, protocol)
                    : McpTeamServer.http(troupe, scenario.team(), served, settings, host, port);
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(
                    () -> {
                        server.close();
                        try {
                            stopped.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "troupe-mcp-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            System.err.println("Serving team '" + scenario.team().name() + "' as MCP tool '" + settings.toolName()
                    + "'"
                    + (served.isEmpty()
                            ? ""
                            : " with tools " + served.stream().map(Tool::name).toList())
                    + (port == null ? " on stdio" : " at " + server.uri(host.equals("0.0.0.0") ? "127.0.0.1" : host)));
            try {
                server.ended().join();
            } finally {
                server.close();
                stopped.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down: the hook is running
                }
            }
            return Main.OK;
        }

        /** The spec's tools named by --tools, or null (reported) when one is unknown. */
        private @Nullable List<Tool> served(List<Tool> available) {
            List<Tool> served = new ArrayList<>();
            Set<String> names = new TreeSet<>();
            available.forEach(tool -> names.add(tool.name()));
            for (String name : tools) {
                Tool tool = available.stream()
                        .filter(t -> t.name().equals(name))
                        .findFirst()
                        .orElse(null);
                if (tool == null) {
                    System.err.println("error: --tools names '" + name + "', which " + spec + " does not have; its"
                            + " tools are " + (names.isEmpty() ? "none" : String.join(", ", names)));
                    return null;
                }
                served.add(tool);
            }
            return served;
        }
    }
}
